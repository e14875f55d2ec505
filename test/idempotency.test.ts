import { describe, expect, it } from "vitest";
import { ApiKey, Config } from "@iam/core";
import { db } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { procedures } from "@iam/functions/procedures";
import { itemsMentioning, newUser, rest } from "./helpers.ts";
import { failing } from "./support/aws-faults.ts";
import { cognitoHas } from "./support/saga.ts";

/** `Idempotency-Key` on registration: a retry gets the first answer; nothing is done twice. */
const app = createApp();
const post = async (body: unknown, key?: string, apiKey = Config.bootstrapApiKey) => {
  const res = await app.request("/user", {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
};
const usersWithEmail = async (email: string) => (await itemsMentioning(email)).filter((i) => i.__edb_e__ === "user");

describe("Idempotency-Key on POST /user", () => {
  it("a repeat with the same key and body returns the first response (body with the activation code, Location) without registering again", async () => {
    const body = newUser();
    const key = crypto.randomUUID();
    const first = await rest("/user", { method: "POST", body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`/user/${first.json.id}`);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await rest("/user", { method: "POST", body, headers: { "idempotency-key": key } });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await usersWithEmail(body.email)).toHaveLength(1);
    // Without the key, the same body is a new registration: 409.
    expect((await rest("/user", { method: "POST", body })).status).toBe(409);
  });

  it("the same key with another body is 422, and changes nothing", async () => {
    const key = crypto.randomUUID();
    const body = newUser();
    expect((await post(body, key)).status).toBe(201);
    const other = newUser();
    const reused = await post(other, key);
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe("UNPROCESSABLE_CONTENT");
    expect(await cognitoHas(other.email)).toBe(false);
  });

  it("a repeat while the first is still running is 409 with Retry-After; after it, the first response", async () => {
    const body = newUser();
    const key = crypto.randomUUID();
    const slow = failing("cognito", "AdminCreateUser", { delayMs: 1500 }, { times: 1 });
    const first = post(body, key);
    while (slow.hits === 0) await new Promise((r) => setTimeout(r, 20)); // the first has claimed the key and reached Cognito
    const meanwhile = await post(body, key);
    expect(meanwhile.status).toBe(409);
    expect(Number(meanwhile.headers.get("retry-after"))).toBeGreaterThan(0);
    const done = await first;
    expect(done.status).toBe(201);
    slow.restore();
    const after = await post(body, key);
    expect(after.json).toEqual(done.json);
  });

  it("concurrent repeats do the work once", async () => {
    const body = newUser();
    const key = crypto.randomUUID();
    const all = await Promise.all(Array.from({ length: 8 }, () => post(body, key)));
    const ok = all.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(r.json.id).toBe(ok[0]?.json.id);
    for (const r of all.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await usersWithEmail(body.email)).toHaveLength(1);
  });

  it("a request that died holding the key blocks retries only until its lease passes", async () => {
    const body = newUser();
    const key = crypto.randomUUID();
    const { Idempotency } = await import("@iam/core");
    // A first request that claimed the key and then died: no completion, no release.
    const held = await Idempotency.claim({ scope: `bootstrap user.register`, key, input: body });
    expect("run" in held).toBe(true);
    const early = await post(body, key);
    expect(early.status).toBe(409);
    expect(Number(early.headers.get("retry-after"))).toBeLessThanOrEqual(Math.ceil(Config.requestDeadlineMs / 1000));
    // The lease passes (made to look so rather than waited for).
    const records = (await itemsMentioning("running")).filter((i) => i.__edb_e__ === "idempotency");
    for (const r of records)
      if (Number(r.leaseUntil) > Date.now())
        await db()
          .entities.idempotency.patch({ recordId: String(r.recordId) })
          .set({ leaseUntil: Date.now() - 1 })
          .go();
    expect((await post(body, key)).status).toBe(201);
  });

  it("stores neither the key nor the response in clear: the activation code is sealed", async () => {
    const body = newUser();
    const key = `key-${crypto.randomUUID()}`;
    const { json } = await post(body, key);
    const stored = (await itemsMentioning("")).filter((i) => i.__edb_e__ === "idempotency");
    const text = JSON.stringify(stored);
    expect(text).not.toContain(json.activationCode);
    expect(text).not.toContain(body.email);
    expect(text).not.toContain(key);
  });

  it("is scoped to the calling API key: another caller's same key is a new request", async () => {
    const body = newUser();
    const key = crypto.randomUUID();
    expect((await post(body, key)).status).toBe(201);
    const other = await ApiKey.create({ name: `idem-${Date.now()}`, scopes: ["write"] });
    const fromOther = await post(body, key, other.apiKey);
    expect(fromOther.status).toBe(409); // did the work: the e-mail is taken, not a replay of someone else's answer
    expect(fromOther.json.activationCode).toBeUndefined();
  });

  it("works over tRPC with idempotencyKey in the input (a batch shares its headers)", async () => {
    const body = { ...newUser(), idempotencyKey: crypto.randomUUID() };
    const call = () =>
      app.request("/trpc/user.register", {
        method: "POST",
        headers: { "x-api-key": Config.bootstrapApiKey, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(((await second.json()) as any).result.data).toEqual(((await first.json()) as any).result.data);
  });

  it("is enabled only where meta says so: registration, never login, refresh, password reset or API keys", () => {
    const enabled = Object.entries(procedures)
      .filter(([, p]) => p._def.meta?.idempotent)
      .map(([name]) => name);
    expect(enabled).toContain("user.register");
    for (const never of [
      "auth.login",
      "session.refresh",
      "password.forgot",
      "password.reset",
      "admin.createKey",
      "admin.rotateKey",
    ])
      expect(enabled).not.toContain(never);
  });

  it("refuses a malformed key with 400 and registers nothing", async () => {
    const body = newUser();
    const res = await post(body, "has space");
    expect(res.status).toBe(400);
    expect(await cognitoHas(body.email)).toBe(false);
  });
});
