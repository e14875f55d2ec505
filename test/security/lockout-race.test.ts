import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognito, dynamo } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { createIamClient, iamErrorOf } from "@user-iam/client";
import { activeUser, apiKey, baseUrl, newUser } from "../helpers.ts";
import { TEST_SETTINGS } from "../settings.ts";

/**
 * The lockout under concurrency, driven in-process so that an SDK middleware on the service's
 * Cognito client can count the password checks that really reach Cognito (per e-mail).
 */
const MAX = Number(TEST_SETTINGS.IAM_LOCKOUT_MAX_FAILURES);
const CEILING = Number(TEST_SETTINGS.IAM_LOCKOUT_ACCOUNT_MAX_FAILURES);
const checks = new Map<string, number>();
const checksOf = (email: string) => checks.get(email.toLowerCase()) ?? 0;
const MIDDLEWARE = "count-password-checks";
beforeAll(() => {
  cognito().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { AuthFlow?: string; AuthParameters?: Record<string, string> };
      if (context.commandName === "AdminInitiateAuthCommand" && input.AuthFlow === "ADMIN_USER_PASSWORD_AUTH") {
        const email = String(input.AuthParameters?.USERNAME).toLowerCase();
        checks.set(email, (checks.get(email) ?? 0) + 1);
      }
      return next(args);
    },
    { step: "initialize", name: MIDDLEWARE },
  );
});
afterAll(() => {
  cognito().middlewareStack.remove(MIDDLEWARE);
});

const app = createApp();
const headers = () => ({ "x-api-key": apiKey(), "content-type": "application/json" });
const login = async (body: Record<string, unknown>) => {
  const res = await app.request("/auth/login", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    json: (await res.json()) as Record<string, unknown>,
  };
};
/** One HTTP request to /trpc carrying `inputs.length` calls of auth.login. */
const batchLogin = async (inputs: Record<string, unknown>[]) => {
  const paths = inputs.map(() => "auth.login").join(",");
  const res = await app.request(`/trpc/${paths}?batch=1`, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify(Object.fromEntries(inputs.map((input, i) => [i, input]))),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};
const statusesOf = (body: unknown) =>
  (body as { result?: unknown; error?: { data?: { httpStatus?: number } } }[]).map((r) =>
    r.result ? 200 : r.error?.data?.httpStatus,
  );

describe("lockout: an attempt is counted before the password is checked", () => {
  it("of 20 parallel wrong passwords, at most N reach Cognito; the rest get 429 with Retry-After", async () => {
    const { body } = await activeUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login({ email: body.email, password: `Wrong-password-${i}` })),
    );
    const checked = checksOf(body.email);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(MAX);
    expect(results.filter((r) => r.status === 401)).toHaveLength(checked);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(20 - checked);
    for (const r of refused) {
      expect(r.json.code).toBe("TOO_MANY_REQUESTS");
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
  });

  it("the same through one tRPC batch: at most N of its calls reach Cognito, the right password among them does not get in after N failures", async () => {
    const { body } = await activeUser();
    const wrong = Array.from({ length: 9 }, (_, i) => ({ email: body.email, password: `Wrong-password-${i}` }));
    const first = await batchLogin(wrong);
    expect(checksOf(body.email)).toBeLessThanOrEqual(MAX);
    expect(statusesOf(first.body).every((s) => s === 401 || s === 429)).toBe(true);
    // Whatever the first batch left, a second one ends in 429s, the right password included.
    const second = await batchLogin([...wrong.slice(0, 5), { email: body.email, password: body.password }]);
    const statuses = statusesOf(second.body);
    expect(checksOf(body.email)).toBeLessThanOrEqual(MAX);
    expect(statuses.at(-1)).toBe(429);
  });

  it("refuses a batch of more than 10 calls with 400 before any of them runs", async () => {
    const { body } = await activeUser();
    const calls = Array.from({ length: 50 }, (_, i) => ({
      email: body.email,
      password: i === 49 ? body.password : `Wrong-password-${i}`,
    }));
    const res = await batchLogin(calls);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/batch/i);
    expect(checksOf(body.email)).toBe(0);
    // Ten is allowed.
    expect((await batchLogin(calls.slice(40, 50))).status).not.toBe(400);
  });

  it("the typed client's batches stay under the limit: 25 calls made together all get their own answer", async () => {
    const iam = createIamClient({ url: baseUrl(), apiKey: apiKey() });
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => iam.user.byId.query({ id: crypto.randomUUID() })),
    );
    expect(results.map((r) => (r.status === "rejected" ? iamErrorOf(r.reason)?.code : "ok"))).toEqual(
      Array(25).fill("NOT_FOUND"),
    );
  });
});

describe("lockout per client address, with an account-wide ceiling", () => {
  const attacker = "203.0.113.7";
  const owner = "2001:db8:1234:5678::42";

  it("N failures lock that address out of that account; the owner elsewhere still gets in", async () => {
    const { body } = await activeUser();
    for (let i = 0; i < MAX; i++)
      expect((await login({ email: body.email, password: `Wrong-password-${i}`, clientIp: attacker })).status).toBe(
        401,
      );
    const locked = await login({ email: body.email, password: body.password, clientIp: attacker });
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect((await login({ email: body.email, password: body.password, clientIp: owner })).status).toBe(200);
    expect(checksOf(body.email)).toBe(MAX + 1);
  });

  it("an address in the same IPv6 /64 is the same address", async () => {
    const { body } = await activeUser();
    for (let i = 0; i < MAX; i++)
      expect(
        (await login({ email: body.email, password: `Wrong-password-${i}`, clientIp: `2001:db8:aaaa:bbbb::${i + 1}` }))
          .status,
      ).toBe(401);
    expect(
      (await login({ email: body.email, password: body.password, clientIp: "2001:db8:aaaa:bbbb:ffff::9" })).status,
    ).toBe(429);
  });

  it("failures from many addresses reach the account-wide ceiling, which then refuses every address", async () => {
    const { body } = await activeUser();
    let failures = 0;
    for (let a = 0; failures < CEILING; a++) {
      for (let i = 0; i < MAX && failures < CEILING; i++, failures++)
        expect(
          (await login({ email: body.email, password: `Wrong-password-${i}`, clientIp: `198.51.100.${a + 1}` })).status,
        ).toBe(401);
    }
    const refused = await login({ email: body.email, password: body.password, clientIp: owner });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(checksOf(body.email)).toBe(CEILING);
  });

  it("unknown e-mails are counted the same way", async () => {
    const email = newUser().email;
    for (let i = 0; i < MAX; i++)
      expect((await login({ email, password: `Wrong-password-${i}`, clientIp: attacker })).status).toBe(401);
    expect((await login({ email, password: "Wrong-password-x", clientIp: attacker })).status).toBe(429);
    expect((await login({ email, password: "Wrong-password-x", clientIp: owner })).status).toBe(401);
  });

  it("refuses a clientIp that is not an IPv4 or IPv6 address with 400, before any password check", async () => {
    const { body } = await activeUser();
    for (const clientIp of ["", "localhost", "300.1.1.1", "1.2.3", "2001:db8::g", "1.2.3.4/24", 42]) {
      const res = await login({ email: body.email, password: body.password, clientIp });
      expect(res.status, String(clientIp)).toBe(400);
    }
    expect(checksOf(body.email)).toBe(0);
  });
});

describe("login's cost", () => {
  it("a successful login makes 3 DynamoDB requests: reserve, read the user, one write (lastLoginAt + the reservation back)", async () => {
    const { body, user } = await activeUser();
    const commands: string[] = [];
    const name = "count-login-requests";
    dynamo().middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      const res = await login({ email: body.email, password: body.password });
      expect(res.status).toBe(200);
    } finally {
      dynamo().middlewareStack.remove(name);
    }
    expect(commands).toEqual(["TransactWriteItemsCommand", "GetItemCommand", "TransactWriteItemsCommand"]);
    const after = await app.request(`/user/${user.id}`, { headers: { "x-api-key": apiKey() } });
    expect(((await after.json()) as { lastLoginAt: string | null }).lastLoginAt).toEqual(expect.any(String));
  });
});
