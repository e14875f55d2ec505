import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressHash, cognito, db, dynamo, hashCode } from "@iam/core/testing";
import { Password } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { activeUser, apiKey, bearer, itemsMentioning, newUser, rest } from "../helpers.ts";
import { failing } from "../support/aws-faults.ts";
import { login, meStatus, pastRevocationSecond } from "./helpers.ts";
import { viaTrpc } from "../support/trpc.ts";

const forgot = (email: string) => rest("/auth/password/forgot", { method: "POST", body: { email } });
const reset = (code: string, newPassword: string) =>
  rest("/auth/password/reset", { method: "POST", body: { code, newPassword } });

describe("password reset: POST /auth/password/forgot → POST /auth/password/reset", () => {
  it("sets the new password, refuses the old one and every token issued before, and the code works once", async () => {
    const { body, tokens } = await activeUser();
    const issued = await forgot(body.email.toUpperCase());
    expect(issued.status).toBe(200);
    expect(issued.json.resetCode).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(Date.parse(issued.json.expiresAt)).toBeGreaterThan(Date.now());

    const done = await reset(issued.json.resetCode, "Brand-New-Pass2");
    expect(done.status).toBe(200);
    expect(done.json).toEqual({ reset: true, userId: expect.any(String) });

    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect(await meStatus(tokens.idToken)).toBe(401);
    expect((await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } })).status).toBe(
      401,
    );
    expect((await login(body.email, body.password)).status).toBe(401);

    await pastRevocationSecond();
    const fresh = await login(body.email, "Brand-New-Pass2");
    expect(fresh.status).toBe(200);
    expect(await meStatus(fresh.json.accessToken)).toBe(200);

    const again = await reset(issued.json.resetCode, "Another-Pass3");
    expect(again.status).toBe(404);
    expect(again.json.message).toMatch(/unknown or already used/i);
    expect((await login(body.email, "Another-Pass3")).status).toBe(401);
  });

  it("refuses an expired code with 410, and a code replaced by a newer one with 404", async () => {
    const { body, user } = await activeUser();
    const first = await forgot(body.email);
    const second = await forgot(body.email);
    expect(second.json.resetCode).not.toBe(first.json.resetCode);
    expect((await reset(first.json.resetCode, "Brand-New-Pass2")).status).toBe(404);

    // An expired code, as TTL may not have swept it yet.
    const expired = randomUUID().replace(/-/g, "").slice(0, 21);
    await db()
      .entities.passwordReset.create({
        codeHash: hashCode(expired),
        emailHash: addressHash(body.email),
        userId: user.id,
        expiresAt: Math.floor(Date.now() / 1000) - 1,
      })
      .go();
    const gone = await reset(expired, "Brand-New-Pass2");
    expect(gone.status).toBe(410);
    expect(gone.json.message).toMatch(/expired/i);
    expect((await login(body.email, body.password)).status).toBe(200);
  });

  it("answers an unknown e-mail exactly like a known one; its code resets nothing, and nothing stored names the address", async () => {
    const email = `nobody.${Date.now()}@example.com`;
    const res = await forgot(email);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["expiresAt", "resetCode"]);
    expect(res.json.resetCode).toMatch(/^[A-Za-z0-9_-]{21}$/);
    const unknownCode = await reset("u".repeat(21), "Brand-New-Pass2");
    const refused = await reset(res.json.resetCode, "Brand-New-Pass2");
    expect(refused.status).toBe(404);
    expect(refused.json).toEqual(unknownCode.json);
    expect(await itemsMentioning(email)).toEqual([]);
    for (const item of await itemsMentioning(hashCode(res.json.resetCode))) expect(item.userId).toBeUndefined();
  });

  it("stores only the code's hash, and keeps the code usable when Cognito refuses the new password", async () => {
    const { body } = await activeUser();
    const { json } = await forgot(body.email);
    expect(await itemsMentioning(json.resetCode)).toEqual([]);
    // The code's item and its address's pointer to it.
    expect(await itemsMentioning(hashCode(json.resetCode))).toHaveLength(2);

    // The schema mirrors the pool's policy, so only a policy change could get here: simulate it.
    const spy = failing("cognito", "AdminSetUserPassword", {
      error: "InvalidPasswordException",
      message: "Password does not conform to policy",
    });
    try {
      await expect(Password.reset(json.resetCode, "Refused-By-Pool1")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    } finally {
      spy.restore();
    }
    expect((await reset(json.resetCode, "Good-Enough-9")).status).toBe(200);
    await pastRevocationSecond();
    expect((await login(body.email, "Good-Enough-9")).status).toBe(200);
  });

  it("refuses bad input with 400 on both transports", async () => {
    const cases: [string, unknown][] = [
      ["/auth/password/forgot", {}],
      ["/auth/password/forgot", { email: "not-an-email" }],
      ["/auth/password/forgot", { email: "a@example.com", extra: 1 }],
      ["/auth/password/reset", { code: "short", newPassword: "Brand-New-Pass2" }],
      ["/auth/password/reset", { code: "a".repeat(21) }],
      ["/auth/password/reset", { code: "a".repeat(21), newPassword: "too-short-1" }],
      ["/auth/password/reset", { code: "a".repeat(21), newPassword: "password1234" }],
    ];
    for (const [path, body] of cases)
      expect((await rest(path, { method: "POST", body })).status, JSON.stringify(body)).toBe(400);
    const overTrpc = await viaTrpc("password.reset", { code: "x", newPassword: "y" }, { "x-api-key": apiKey() });
    expect(overTrpc.status).toBe(400);
  });

  it("works over tRPC", async () => {
    const { body } = await activeUser();
    const headers = { "x-api-key": apiKey() };
    const issued = await viaTrpc("password.forgot", { email: body.email }, headers);
    expect(issued.status).toBe(200);
    const done = await viaTrpc(
      "password.reset",
      { code: issued.data.resetCode, newPassword: "Via-Trpc-Pass4" },
      headers,
    );
    expect(done.status).toBe(200);
    await pastRevocationSecond();
    expect((await login(body.email, "Via-Trpc-Pass4")).status).toBe(200);
  });
});

describe("password change: POST /public/user/me/password", () => {
  const change = (token: string, body: unknown) =>
    rest("/public/user/me/password", { method: "POST", body, headers: bearer(token) });

  it("changes the password and ends every session, the caller's included", async () => {
    const { body, tokens } = await activeUser();
    const res = await change(tokens.accessToken, { currentPassword: body.password, newPassword: "Changed-Pass5" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ changed: true });
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } })).status).toBe(
      401,
    );
    expect((await login(body.email, body.password)).status).toBe(401);
    await pastRevocationSecond();
    const fresh = await login(body.email, "Changed-Pass5");
    expect(fresh.status).toBe(200);
    expect(await meStatus(fresh.json.accessToken)).toBe(200);
  });

  it("refuses a wrong current password with 403, and counts it toward the login lockout (429)", async () => {
    const { body, tokens } = await activeUser();
    for (let i = 0; i < 5; i++) {
      const wrong = await change(tokens.accessToken, {
        currentPassword: `Wrong-Pass${i}`,
        newPassword: "Changed-Pass5",
      });
      expect(wrong.status).toBe(403);
      expect(wrong.json.message).toMatch(/current password/i);
    }
    const locked = await change(tokens.accessToken, { currentPassword: body.password, newPassword: "Changed-Pass5" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(body.email, body.password)).status).toBe(429);
    // Nothing changed: the session still works.
    expect(await meStatus(tokens.accessToken)).toBe(200);
  });

  it("refuses bad input with 400, over REST and tRPC, changing nothing", async () => {
    const { body, tokens } = await activeUser();
    const bad: unknown[] = [
      {},
      { currentPassword: body.password },
      { currentPassword: body.password, newPassword: "weak" },
      { currentPassword: body.password, newPassword: body.password },
      { currentPassword: body.password, newPassword: "Changed-Pass5", role: "ADMIN" },
    ];
    for (const input of bad) expect((await change(tokens.accessToken, input)).status, JSON.stringify(input)).toBe(400);
    const overTrpc = await viaTrpc(
      "password.change",
      { currentPassword: body.password, newPassword: "x" },
      bearer(tokens.accessToken),
    );
    expect(overTrpc.status).toBe(400);
    expect(await meStatus(tokens.accessToken)).toBe(200);
    expect((await login(body.email, body.password)).status).toBe(200);
  });
});

describe("a password set whose answer is lost (in-process, msw)", () => {
  /**
   * Cognito sets the password, then the connection drops before the answer (every SDK attempt):
   * the request fails, yet the password may have changed. The sessions must have ended anyway —
   * the revocation is written before the password is set, never only after it.
   */
  const lost = async (path: string, headers: Record<string, string>, body: unknown) => {
    const fault = failing("cognito", "AdminSetUserPassword", "drop");
    try {
      const res = await createApp().request(path, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(fault.hits).toBeGreaterThan(0);
      return res.status;
    } finally {
      fault.restore();
    }
  };

  it("password change: 503, and the sessions begun before are over", async () => {
    const { body, tokens } = await activeUser();
    const status = await lost(
      "/public/user/me/password",
      { authorization: `Bearer ${tokens.accessToken}` },
      { currentPassword: body.password, newPassword: "Changed-Pass5" },
    );
    expect(status).toBe(503);
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } })).status).toBe(
      401,
    );
  });

  it("password reset: 503, and the sessions begun before are over", async () => {
    const { body, tokens } = await activeUser();
    const { json } = await forgot(body.email);
    const status = await lost(
      "/auth/password/reset",
      { "x-api-key": apiKey() },
      { code: json.resetCode, newPassword: "Changed-Pass5" },
    );
    expect(status).toBe(503);
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } })).status).toBe(
      401,
    );
  });
});

describe("forgot: the same work for a known and an unknown address", () => {
  const calls: string[] = [];
  const MIDDLEWARE = "count-forgot-requests";
  const count =
    (name: string) =>
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      calls.push(`${name}:${context.commandName}`);
      return next(args);
    };
  beforeAll(() => {
    dynamo().middlewareStack.add(count("dynamodb") as never, { step: "initialize", name: MIDDLEWARE });
    cognito().middlewareStack.add(count("cognito") as never, { step: "initialize", name: MIDDLEWARE });
  });
  afterAll(() => {
    dynamo().middlewareStack.remove(MIDDLEWARE);
    cognito().middlewareStack.remove(MIDDLEWARE);
  });

  it("makes the same SDK calls, in the same order, for both (counted by a middleware on the service's clients)", async () => {
    const app = createApp();
    const sdkCallsOf = async (email: string) => {
      calls.length = 0;
      const res = await app.request("/auth/password/forgot", {
        method: "POST",
        headers: { "x-api-key": apiKey(), "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      expect(res.status).toBe(200);
      return [...calls];
    };
    const { body } = await activeUser();
    const known = await sdkCallsOf(body.email);
    const unknown = await sdkCallsOf(newUser().email);
    expect(known.length).toBeGreaterThan(0);
    expect(unknown).toEqual(known);
    // A second request for the known address replaces the first code with the same calls again.
    expect(await sdkCallsOf(body.email)).toEqual(known);
  });
});
