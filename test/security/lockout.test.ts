import { describe, expect, it } from "vitest";
import { TEST_SETTINGS } from "../settings.ts";
import { activeUser, newUser, rest } from "../helpers.ts";

const MAX = Number(TEST_SETTINGS.IAM_LOCKOUT_MAX_FAILURES);
const WINDOW_MS = Number(TEST_SETTINGS.IAM_LOCKOUT_WINDOW_SECONDS) * 1000;
const login = (email: string, password: string) => rest("/auth/login", { method: "POST", body: { email, password } });
const shape = (r: { status: number; json: unknown; headers: Headers }) => ({
  status: r.status,
  body: r.json,
  retryAfter: r.headers.get("retry-after") !== null,
});

describe("brute-force lockout", () => {
  it("after N failures answers 429 with Retry-After even for the right password, until the window passes", async () => {
    const { body } = await activeUser();
    const other = await activeUser();
    const started = Date.now();
    for (let i = 0; i < MAX; i++) expect((await login(body.email, `Wrong-pass${i}`)).status).toBe(401);
    const locked = await login(body.email, body.password);
    expect(locked.status).toBe(429);
    expect(locked.json.code).toBe("TOO_MANY_REQUESTS");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect((await login(body.email, "Wrong-again1")).status).toBe(429);
    // Another account is unaffected.
    expect((await login(other.body.email, other.body.password)).status).toBe(200);
    // Once the window has passed, the right password works again.
    await new Promise((r) => setTimeout(r, Math.max(0, started + WINDOW_MS + 1200 - Date.now())));
    expect((await login(body.email, body.password)).status).toBe(200);
  });

  it("treats an unknown e-mail exactly like a known one: same 401s, same 429", async () => {
    const { body } = await activeUser();
    const unknown = newUser().email;
    for (let i = 0; i < MAX; i++) {
      const known = await login(body.email, `Wrong-pass${i}`);
      const absent = await login(unknown, `Wrong-pass${i}`);
      expect(shape(absent)).toEqual(shape(known));
    }
    const known = await login(body.email, "Wrong-pass9");
    const absent = await login(unknown, "Wrong-pass9");
    expect(known.status).toBe(429);
    expect({ ...shape(absent) }).toEqual({ ...shape(known) });
  });
});

describe("enumeration", () => {
  it("login failures for an existing and an absent account compare equal in status and body", async () => {
    const { body } = await activeUser();
    const existing = await login(body.email, "Not-the-password1");
    const absent = await login(newUser().email, "Not-the-password1");
    expect(absent.status).toBe(401);
    expect(absent.json).toEqual(existing.json);
  });

  it("registration conflicts have one shape whichever value is taken", async () => {
    const { body } = await activeUser();
    const byEmail = await rest("/user", { method: "POST", body: { ...newUser(), email: body.email } });
    const byName = await rest("/user", { method: "POST", body: { ...newUser(), name: body.name } });
    expect(byEmail.status).toBe(409);
    expect(byName.status).toBe(409);
    expect(Object.keys(byEmail.json).sort()).toEqual(Object.keys(byName.json).sort());
    expect(byEmail.json.code).toBe(byName.json.code);
  });
});
