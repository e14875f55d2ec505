import { describe, expect, it } from "vitest";
import { db } from "@iam/core/testing";
import { procedures } from "@iam/functions/procedures";
import { activeUser, rest } from "../helpers.ts";
import { ACCESS } from "../security/access-table.ts";
import { INJECTED, LIFECYCLE_MUTATIONS } from "./mass-assignment.ts";

/**
 * The lifecycle mutations under the check test/security/hygiene.test.ts makes for the route table:
 * no mutation lets a caller set role, status, id, badges, version or the avatar (key or URL). (Their
 * REST-vs-tRPC cases run in test/contract.test.ts.) Run here because they end sessions and change
 * passwords, which needs waits between calls.
 */
const LIFECYCLE = Object.keys(ACCESS).filter((name) => /^(password|session|avatar|profile|directory)\./.test(name));

describe("lifecycle mutations: no mass assignment", () => {
  // What every mutation is refused, and what only the lifecycle routes could touch.
  const LIFECYCLE_INJECTED = {
    ...INJECTED,
    tokensValidAfter: 0,
    avatarUrl: "https://evil.example/x.png",
    avatarKey: "avatars/x.png",
  };

  it("covers each mutation", () => {
    const mutations = LIFECYCLE.filter((n) => procedures[n]?._def.type === "mutation");
    expect(Object.keys(LIFECYCLE_MUTATIONS).sort()).toEqual(mutations.sort());
  });

  it("none lets a caller set role, status, id, badges, version or the avatar URL", async () => {
    const { body, user } = await activeUser();
    const target = { id: user.id, email: body.email, password: body.password };
    for (const [name, run] of Object.entries(LIFECYCLE_MUTATIONS)) {
      const res = await run(target, LIFECYCLE_INJECTED);
      expect(res.status, name).toBeLessThan(500);
      const { data: item } = await db().entities.user.get({ id: user.id }).go({ consistent: true });
      expect(item?.role, name).toBe("USER");
      expect(item?.status, name).toBe("CONFIRMED");
      expect(item?.version, name).not.toBe(999);
      expect([...(item?.badges ?? [])], name).not.toContain("HACKED");
      expect(item?.avatarKey, name).toBe("");
      expect(item?.avatarUrl, name).toBeUndefined();
      expect(item?.tokensValidAfter, name).not.toBe(0);
      // Sessions the mutation ended must not stop the next one from signing in.
      await new Promise((r) => setTimeout(r, name.startsWith("session.") || name.startsWith("password.") ? 1100 : 0));
    }
    expect((await rest(`/user/${user.id}`)).json.role).toBe("USER");
  });
});
