import { ListUsersCommand, type UserType } from "@aws-sdk/client-cognito-identity-provider";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Config, User } from "@iam/core";
import { cognito, db } from "@iam/core/testing";
import { newUser, registered, rest } from "./helpers.ts";

const poolUsers = async (): Promise<UserType[]> => {
  const users: UserType[] = [];
  let PaginationToken: string | undefined;
  do {
    const page = await cognito().send(
      new ListUsersCommand({ UserPoolId: Config.auth.userPoolId, Limit: 60, PaginationToken }),
    );
    users.push(...(page.Users ?? []));
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  return users;
};
const attr = (u: UserType, name: string) => u.Attributes?.find((a) => a.Name === name)?.Value;

/** No Cognito user among `emails` lacks a profile, and no guard of `values` points at a missing user. */
const assertNoOrphans = async (emails: string[], guards: { kind: "email" | "name" | "handle"; value: string }[]) => {
  const mine = (await poolUsers()).filter((u) => emails.includes(attr(u, "email") ?? ""));
  for (const u of mine)
    expect(await User.findById(attr(u, "sub") ?? "", { consistent: true }), attr(u, "email")).not.toBeNull();
  for (const g of guards) {
    const { data } = await db()
      .entities.unique.get({ kind: g.kind, value: g.value.toLowerCase() })
      .go({ consistent: true });
    if (data) expect(await User.findById(data.userId, { consistent: true }), `${g.kind} ${g.value}`).not.toBeNull();
  }
  return mine;
};

describe("races", () => {
  it("16 concurrent registrations with one email: exactly one succeeds, 15 get 409 naming email, no orphans", async () => {
    const email = `race.${randomUUID().slice(0, 8)}@example.com`;
    const bodies = Array.from({ length: 16 }, () => newUser({ email }));
    const results = await Promise.all(bodies.map((body) => rest("/user", { method: "POST", body })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(15);
    for (const c of conflicts) expect(c.json.message).toContain("email");
    const inPool = await assertNoOrphans(
      [email],
      bodies.flatMap((b) => [
        { kind: "name" as const, value: b.name },
        { kind: "email" as const, value: email },
      ]),
    );
    expect(inPool).toHaveLength(1);
  });

  it("16 concurrent registrations with one name: exactly one succeeds, 15 get 409 naming name, no orphans", async () => {
    const name = `racer_${randomUUID().slice(0, 8)}`;
    const bodies = Array.from({ length: 16 }, () => newUser({ name }));
    const results = await Promise.all(bodies.map((body) => rest("/user", { method: "POST", body })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(15);
    for (const c of conflicts) expect(c.json.message).toMatch(/name|handle/);
    const emails = bodies.map((b) => b.email);
    const inPool = await assertNoOrphans(emails, [
      { kind: "name", value: name },
      ...emails.map((value) => ({ kind: "email" as const, value })),
    ]);
    expect(inPool).toHaveLength(1);
  });

  it("20 concurrent PATCH merges of distinct keys keep all 20", async () => {
    const { user } = await registered();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rest(`/user/${user.id}/data/update`, { method: "PATCH", body: { [`key${i}`]: { i } } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const data = (await rest(`/user/${user.id}`)).json.profile.data;
    expect(Object.keys(data).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `key${i}`).sort());
    for (let i = 0; i < 20; i++) expect(data[`key${i}`]).toEqual({ i });
  });

  it("20 concurrent badge issues keep all 20", async () => {
    const { user } = await registered();
    const names = Object.keys((await import("@iam/core")).Badge.BADGES)
      .filter((n) => n !== "NEW_MEMBER")
      .slice(0, 20);
    expect(names).toHaveLength(20);
    const results = await Promise.all(names.map((n) => rest(`/user/${user.id}/badge/${n}`, { method: "POST" })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const badges = (await rest(`/user/${user.id}`)).json.profile.badges.map((b: { name: string }) => b.name);
    expect(badges.sort()).toEqual([...names, "NEW_MEMBER"].sort());
  });
});
