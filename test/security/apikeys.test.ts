import { describe, expect, it } from "vitest";
import { db } from "@iam/core/testing";
import { itemsMentioning, rest } from "../helpers.ts";
import { createKey } from "./keys.ts";

const withKey = (key: string) => ({ "x-api-key": key });

describe("machine API keys", () => {
  it("are long random strings with a visible prefix, returned once and stored only as a hash", async () => {
    const key = await createKey(["read"]);
    // `iam_` + the key id + a MAC of it (16 characters each) + `_` + a 256-bit secret.
    expect(key.apiKey).toMatch(/^iam_[A-Za-z0-9]{32}_[A-Za-z0-9_-]{43}$/);
    expect(key.apiKey.slice(4, 20)).toBe(key.keyId);
    expect(await itemsMentioning(key.apiKey)).toEqual([]);
    const secret = key.apiKey.split("_").slice(2).join("_");
    expect(await itemsMentioning(secret)).toEqual([]);
    const listed = await rest("/admin/keys");
    expect(listed.status).toBe(200);
    const mine = listed.json.keys.find((k: { keyId: string }) => k.keyId === key.keyId);
    expect(mine).toMatchObject({ name: "test read", scopes: ["read"], revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(secret);
  });

  it("carry scopes: a read key reads, and gets 403 on writes and admin routes", async () => {
    const { apiKey } = await createKey(["read"]);
    expect((await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) })).status).toBe(404);
    const write = await rest("/user", { method: "POST", body: {}, headers: withKey(apiKey) });
    expect(write.status).toBe(403);
    expect(write.json.message).toContain("write");
    expect((await rest("/admin/keys", { headers: withKey(apiKey) })).status).toBe(403);
  });

  it("stop working when revoked", async () => {
    const { apiKey, keyId } = await createKey(["read"]);
    expect((await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) })).status).toBe(404);
    const revoked = await rest(`/admin/keys/${keyId}`, { method: "DELETE" });
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
    expect((await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) })).status).toBe(401);
    expect((await rest(`/admin/keys/${"z".repeat(16)}`, { method: "DELETE" })).status).toBe(404);
  });

  it("rotate: the new key works at once, the old one until its grace window ends", async () => {
    const old = await createKey(["read"]);
    const rotated = await rest(`/admin/keys/${old.keyId}/rotate`, { method: "POST", body: { graceSeconds: 2 } });
    expect(rotated.status).toBe(200);
    expect(rotated.json.apiKey).not.toBe(old.apiKey);
    expect(rotated.json.scopes).toEqual(["read"]);
    const probe = (key: string) => rest(`/user/${crypto.randomUUID()}`, { headers: withKey(key) });
    expect((await probe(rotated.json.apiKey)).status).toBe(404);
    expect((await probe(old.apiKey)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 3100));
    expect((await probe(old.apiKey)).status).toBe(401);
    expect((await probe(rotated.json.apiKey)).status).toBe(404);
  });

  it("expire on their own", async () => {
    const { keyId, apiKey } = await createKey(["read"], { expiresInSeconds: 60 });
    expect((await rest("/admin/keys")).json.keys.find((k: { keyId: string }) => k.keyId === keyId).expiresAt).toEqual(
      expect.any(String),
    );
    // Move the expiry into the past before the key's first use (the server caches a key it has seen for 30 s).
    await db()
      .entities.apiKey.patch({ keyId })
      .set({ expiresAt: Math.floor(Date.now() / 1000) - 1 })
      .go();
    expect((await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) })).status).toBe(401);
  });

  it("record their last use, written at most once a minute", async () => {
    const { apiKey, keyId } = await createKey(["read"]);
    const lastUsed = async () => (await db().entities.apiKey.get({ keyId }).go({ consistent: true })).data?.lastUsedAt;
    expect(await lastUsed()).toBeUndefined();
    await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) });
    const first = await lastUsed();
    expect(first).toEqual(expect.any(Number));
    await db()
      .entities.apiKey.patch({ keyId })
      .set({ lastUsedAt: (first ?? 0) - 10 })
      .go();
    await rest(`/user/${crypto.randomUUID()}`, { headers: withKey(apiKey) });
    // Ten seconds ago is within the minute: not written again.
    expect(await lastUsed()).toBe((first ?? 0) - 10);
  });

  it("refuse bad creation input with 400", async () => {
    for (const body of [
      {},
      { name: "x", scopes: [] },
      { name: "x", scopes: ["root"] },
      { name: "x", scopes: ["read"], expiresInSeconds: 1 },
      { name: "x", scopes: ["read"], extra: 1 },
    ]) {
      expect((await rest("/admin/keys", { method: "POST", body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("rotate: the new key inherits name, scopes and expiry; an expired or already rotated key cannot be rotated (409)", async () => {
    const old = await createKey(["read", "write"], { expiresInSeconds: 3600 });
    const before = (await rest("/admin/keys")).json.keys.find((k: { keyId: string }) => k.keyId === old.keyId);
    const rotated = await rest(`/admin/keys/${old.keyId}/rotate`, { method: "POST", body: { graceSeconds: 60 } });
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ name: before.name, scopes: ["read", "write"], expiresAt: before.expiresAt });
    // The old key's grace window ends no later than its own expiry did.
    const after = (await rest("/admin/keys")).json.keys.find((k: { keyId: string }) => k.keyId === old.keyId);
    expect(Date.parse(after.expiresAt)).toBeLessThanOrEqual(Date.parse(before.expiresAt));

    const again = await rest(`/admin/keys/${old.keyId}/rotate`, { method: "POST", body: {} });
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/rotated/i);

    const expired = await createKey(["read"], { expiresInSeconds: 60 });
    await db()
      .entities.apiKey.patch({ keyId: expired.keyId })
      .set({ expiresAt: Math.floor(Date.now() / 1000) - 1 })
      .go();
    const revived = await rest(`/admin/keys/${expired.keyId}/rotate`, { method: "POST", body: {} });
    expect(revived.status).toBe(409);
    expect(revived.json.message).toMatch(/expired/i);

    const revoked = await createKey(["read"]);
    expect((await rest(`/admin/keys/${revoked.keyId}`, { method: "DELETE" })).status).toBe(200);
    expect((await rest(`/admin/keys/${revoked.keyId}/rotate`, { method: "POST", body: {} })).status).toBe(409);
    expect((await rest(`/admin/keys/${"n".repeat(16)}/rotate`, { method: "POST", body: {} })).status).toBe(404);
  });

  it("rotate: of two concurrent rotations of one key, exactly one succeeds", async () => {
    const old = await createKey(["read"]);
    const results = await Promise.all(
      [0, 1].map(() => rest(`/admin/keys/${old.keyId}/rotate`, { method: "POST", body: {} })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe("the recovery scope", () => {
  it("password forgot and reset need 'recovery': an 'auth' key gets 403 there, and still logs in, refreshes and verifies", async () => {
    const auth = await createKey(["auth"]);
    const recovery = await createKey(["recovery"]);
    const email = `recovery.${Date.now()}@example.com`;
    const asAuth = await rest("/auth/password/forgot", {
      method: "POST",
      body: { email },
      headers: withKey(auth.apiKey),
    });
    expect(asAuth.status).toBe(403);
    expect(asAuth.json.message).toContain("recovery");
    expect(
      (
        await rest("/auth/password/reset", {
          method: "POST",
          body: { code: "a".repeat(21), newPassword: "Brand-New-Pass2" },
          headers: withKey(auth.apiKey),
        })
      ).status,
    ).toBe(403);
    expect(
      (await rest("/auth/password/forgot", { method: "POST", body: { email }, headers: withKey(recovery.apiKey) }))
        .status,
    ).toBe(200);
    expect(
      (
        await rest("/auth/login", {
          method: "POST",
          body: { email, password: "Not-the-password-1" },
          headers: withKey(recovery.apiKey),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await rest("/auth/login", {
          method: "POST",
          body: { email, password: "Not-the-password-1" },
          headers: withKey(auth.apiKey),
        })
      ).status,
    ).toBe(401);
  });
});
