import { describe, expect, it } from "vitest";
import { s3 } from "@iam/core/testing";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Assets, Config } from "@iam/core";
import {
  activeUser,
  bearer,
  itemsMentioning,
  leftOfDeletedUser,
  putExpiredActivation,
  registered,
  rest,
} from "./helpers.ts";

const json = (body: unknown) => ({ body, headers: { "content-type": "application/json" } });

describe("lookups by name, email and handle", () => {
  it("find the user in any case, the handle with @, %40 or bare", async () => {
    const { body, user } = await registered();
    const handle = user.handle as string;
    const paths = [
      `/user/name/${body.name}`,
      `/user/name/${body.name.toUpperCase()}`,
      `/user/email/${body.email}`,
      `/user/email/${body.email.toUpperCase()}`,
      `/user/email/${encodeURIComponent(body.email)}`,
      `/user/handle/${handle}`,
      `/user/handle/${encodeURIComponent(handle)}`,
      `/user/handle/${handle.slice(1).toLowerCase()}`,
    ];
    for (const path of paths) {
      const res = await rest(path);
      expect(res.status, path).toBe(200);
      expect(res.json.id, path).toBe(user.id);
    }
  });

  it("answer 404 for unknown values and 400 for malformed ones", async () => {
    expect((await rest("/user/name/nobody_here_123")).status).toBe(404);
    expect((await rest("/user/email/nobody.here@example.com")).status).toBe(404);
    expect((await rest("/user/handle/@NobodyHere123")).status).toBe(404);
    expect((await rest("/user/email/not-an-email")).status).toBe(400);
    expect((await rest("/user/handle/@bad-handle!")).status).toBe(400);
  });
});

describe("activation", () => {
  it("confirms the user once; the code then answers 404", async () => {
    const { user } = await registered();
    const first = await rest(`/user/activate/${user.activationCode}`);
    expect(first.status).toBe(200);
    expect(first.json.status).toBe("CONFIRMED");
    const again = await rest(`/user/activate/${user.activationCode}`);
    expect(again.status).toBe(404);
    expect((await rest(`/user/activate/${"x".repeat(21)}`)).status).toBe(404);
    expect((await rest("/user/activate/short")).status).toBe(400);
  });

  it("answers 410 for an expired code and leaves the user unconfirmed", async () => {
    const { user } = await registered();
    const code = "expiredexpiredexpired";
    await putExpiredActivation(user.id, code);
    const res = await rest(`/user/activate/${code}`);
    expect(res.status).toBe(410);
    expect(res.json.message).toMatch(/expired/i);
    expect((await rest(`/user/${user.id}`)).json.status).toBe("UNCONFIRMED");
  });

  it("lets exactly one of several concurrent uses of a code succeed", async () => {
    const { user } = await registered();
    const results = await Promise.all(Array.from({ length: 6 }, () => rest(`/user/activate/${user.activationCode}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(5);
  });
});

describe("status and the tokens issued before it", () => {
  it("suspension stops earlier tokens at /public/user/me and the verify route, and blocks login with 403", async () => {
    const { body, user, tokens } = await activeUser();
    expect((await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).status).toBe(200);
    expect((await rest(`/auth/token/access/verify/${tokens.accessToken}`)).status).toBe(200);

    const suspended = await rest(`/user/${user.id}/status/SUSPENDED`, { method: "PATCH" });
    expect(suspended.status).toBe(200);
    expect(suspended.json.status).toBe("SUSPENDED");

    expect((await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).status).toBe(401);
    expect((await rest("/public/user/me", { headers: bearer(tokens.idToken) })).status).toBe(401);
    expect((await rest(`/auth/token/access/verify/${tokens.accessToken}`)).status).toBe(401);
    const login = await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    expect(login.status).toBe(403);
    expect(login.json.message).toMatch(/suspended/i);

    // Reinstated: the tokens issued before the suspension stay dead; a new login works.
    expect((await rest(`/user/${user.id}/status/CONFIRMED`, { method: "PATCH" })).json.status).toBe("CONFIRMED");
    expect((await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1100)); // token iat has one-second resolution
    const fresh = await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    expect((await rest("/public/user/me", { headers: bearer(fresh.json.accessToken) })).status).toBe(200);
  });

  it("rejects an unknown status with 400 and an unknown user with 404", async () => {
    const { user } = await registered();
    expect((await rest(`/user/${user.id}/status/BANNED`, { method: "PATCH" })).status).toBe(400);
    expect((await rest(`/user/${crypto.randomUUID()}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(404);
    expect((await rest(`/user/${user.id}`)).json.status).toBe("UNCONFIRMED");
  });
});

describe("token verification route", () => {
  it("verifies access and id tokens with their type, sub, groups and expiry", async () => {
    const { user, tokens } = await activeUser();
    for (const [type, token] of [
      ["access", tokens.accessToken],
      ["id", tokens.idToken],
    ] as const) {
      const res = await rest(`/auth/token/${type}/verify/${token}`);
      expect(res.status, type).toBe(200);
      expect(res.json).toEqual({
        valid: true,
        tokenType: type,
        sub: user.id,
        groups: ["USER"],
        expiresAt: expect.any(String),
      });
      expect(Date.parse(res.json.expiresAt)).toBeGreaterThan(Date.now());
    }
  });

  it("answers 401 for a token of the wrong type or a tampered one, 400 for an unknown type", async () => {
    const { tokens } = await activeUser();
    expect((await rest(`/auth/token/id/verify/${tokens.accessToken}`)).status).toBe(401);
    expect((await rest(`/auth/token/access/verify/${tokens.idToken}`)).status).toBe(401);
    const [h, p, s] = tokens.accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: crypto.randomUUID() })).toString("base64url")}.${s}`;
    expect((await rest(`/auth/token/access/verify/${forged}`)).status).toBe(401);
    expect((await rest("/auth/token/access/verify/garbage")).status).toBe(401);
    expect((await rest(`/auth/token/refresh/verify/${tokens.accessToken}`)).status).toBe(400);
  });
});

describe("the data blob", () => {
  it("PUT replaces it and PATCH merges it (RFC 7396: null deletes, objects merge, arrays replace)", async () => {
    const { user } = await registered();
    const put = await rest(`/user/${user.id}/data/update`, {
      method: "PUT",
      ...json({ theme: "dark", tags: ["a"], nested: { x: 1, y: 2 } }),
    });
    expect(put.status).toBe(200);
    expect(put.json.profile.data).toEqual({ theme: "dark", tags: ["a"], nested: { x: 1, y: 2 } });
    const patch = await rest(`/user/${user.id}/data/update`, {
      method: "PATCH",
      ...json({ theme: null, tags: ["b", "c"], nested: { y: null, z: 3 } }),
    });
    expect(patch.status).toBe(200);
    expect(patch.json.profile.data).toEqual({ tags: ["b", "c"], nested: { x: 1, z: 3 } });
    const replaced = await rest(`/user/${user.id}/data/update`, { method: "PUT", ...json({ only: true }) });
    expect(replaced.json.profile.data).toEqual({ only: true });
    expect((await rest(`/user/${user.id}`)).json.profile.data).toEqual({ only: true });
  });

  it("refuses a non-object body with 400 and a blob over 32 KiB with 413, changing nothing", async () => {
    const { user } = await registered();
    await rest(`/user/${user.id}/data/update`, { method: "PUT", ...json({ keep: 1 }) });
    for (const raw of ["[1,2]", '"text"', "42", "null", "{oops"]) {
      for (const method of ["PUT", "PATCH"]) {
        const res = await rest(`/user/${user.id}/data/update`, {
          method,
          raw,
          headers: { "content-type": "application/json" },
        });
        expect(res.status, `${method} ${raw}`).toBe(400);
      }
    }
    const big = { blob: "x".repeat(33 * 1024) };
    for (const method of ["PUT", "PATCH"]) {
      const res = await rest(`/user/${user.id}/data/update`, { method, ...json(big) });
      expect(res.status, method).toBe(413);
      expect(res.json.code).toBe("PAYLOAD_TOO_LARGE");
    }
    expect((await rest(`/user/${user.id}`)).json.profile.data).toEqual({ keep: 1 });
    expect(
      (await rest(`/user/${crypto.randomUUID()}/data/update`, { method: "PATCH", ...json({ a: 1 }) })).status,
    ).toBe(404);
  });
});

describe("badges", () => {
  it("issue and revoke idempotently, with icon URLs that serve the icon", async () => {
    const { user } = await registered();
    const issued = await rest(`/user/${user.id}/badge/CONVERSATION_STARTER`, { method: "POST" });
    expect(issued.status).toBe(200);
    expect(issued.json.profile.badges.map((b: { name: string }) => b.name)).toEqual([
      "CONVERSATION_STARTER",
      "NEW_MEMBER",
    ]);
    const again = await rest(`/user/${user.id}/badge/CONVERSATION_STARTER`, { method: "POST" });
    expect(again.json.profile.badges).toEqual(issued.json.profile.badges);
    const icon = await fetch(issued.json.profile.badges[0].iconUrl);
    expect(icon.status).toBe(200);
    expect(await icon.text()).toContain("<svg");

    const revoked = await rest(`/user/${user.id}/badge/NEW_MEMBER`, { method: "DELETE" });
    expect(revoked.json.profile.badges.map((b: { name: string }) => b.name)).toEqual(["CONVERSATION_STARTER"]);
    const revokedAgain = await rest(`/user/${user.id}/badge/NEW_MEMBER`, { method: "DELETE" });
    expect(revokedAgain.status).toBe(200);
    expect(revokedAgain.json.profile.badges).toEqual(revoked.json.profile.badges);
    await rest(`/user/${user.id}/badge/CONVERSATION_STARTER`, { method: "DELETE" });
    expect((await rest(`/user/${user.id}`)).json.profile.badges).toEqual([]);
  });

  it("answers 404 for a badge outside the catalog or an unknown user, 400 for a malformed name", async () => {
    const { user } = await registered();
    expect((await rest(`/user/${user.id}/badge/NOT_A_BADGE`, { method: "POST" })).status).toBe(404);
    expect((await rest(`/user/${crypto.randomUUID()}/badge/MENTOR`, { method: "POST" })).status).toBe(404);
    expect((await rest(`/user/${user.id}/badge/lowercase`, { method: "POST" })).status).toBe(400);
    expect((await rest(`/user/${user.id}/badge/X`, { method: "DELETE" })).status).toBe(400);
    expect((await rest(`/user/${user.id}`)).json.profile.badges.map((b: { name: string }) => b.name)).toEqual([
      "NEW_MEMBER",
    ]);
  });
});

describe("hard delete", () => {
  it("removes the user from Cognito, every table item and S3, and frees email, name and handle", async () => {
    const { body, user, tokens } = await activeUser();
    // One object under each prefix that holds the user's files (upload, avatar, pre-layout folder).
    for (const prefix of Assets.userPrefixes(user.id))
      await s3().send(new PutObjectCommand({ Bucket: Config.bucketName, Key: `${prefix}avatar.png`, Body: "png" }));
    expect((await itemsMentioning(user.id)).length).toBeGreaterThanOrEqual(4); // profile + 3 guards
    const del = await rest(`/user/${user.id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await leftOfDeletedUser(user.id)).toEqual([]);
    for (const value of [body.email, body.name.toLowerCase()])
      expect(await leftOfDeletedUser(user.id, value)).toEqual([]);
    for (const prefix of Assets.userPrefixes(user.id)) {
      const left = await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix: prefix }));
      expect(left.Contents ?? [], prefix).toEqual([]);
    }
    expect((await rest(`/user/${user.id}`)).status).toBe(404);
    expect((await rest(`/user/email/${body.email}`)).status).toBe(404);
    expect((await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).status).toBe(401);
    expect((await rest(`/auth/token/access/verify/${tokens.accessToken}`)).status).toBe(401);
    expect(
      (await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } })).status,
    ).toBe(401);
    expect((await rest(`/user/${user.id}`, { method: "DELETE" })).status).toBe(404);
    const again = await rest("/user", { method: "POST", body });
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(user.id);
  });
});
