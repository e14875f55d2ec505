import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { Auth, Config, Events, isAppError } from "@iam/core";
import { s3 } from "@iam/core/testing";
import { activeUser, bearer, newUser, registered, rest } from "../helpers.ts";
import { pastRevocationSecond } from "../lifecycle/helpers.ts";
import { allEventsOf } from "./writer.ts";

/**
 * The writers: every catalogue type is produced by the action that should produce it — through
 * the real routes, on the suite's server — exactly once, about the right subject, stamped with
 * the right actor. Each row runs its setup, takes the subject's events, runs the action, and
 * compares what the action added: exactly `produces` (default: the row's own type), each with
 * `actor`. A catalogue type without a row fails the test.
 */
type Actor = Events.Event["actor"];
const BOOTSTRAP: Actor = { type: "apiKey", keyId: "bootstrap" };
const self = (userId: string): Actor => ({ type: "user", userId });
const CLIENT_IP = "203.0.113.7";

type Run = { subject: Events.Subject; actor: Actor; produces?: Events.EventType[]; sourceIp?: string };
/** A row: `setup` makes the subject, `act` performs the one action under test. */
type Row = { setup: () => Promise<Ctx>; act: (ctx: Ctx) => Promise<Run> };
type Ctx = Awaited<ReturnType<typeof activeUser>> & { keyId?: string };

const ok = <R extends { status: number; json: any }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  return res;
};
const user = (ctx: Ctx) => ({ userId: ctx.user.id });
const active = () => activeUser();
const justRegistered = async (): Promise<Ctx> => ({
  ...(await registered()),
  tokens: { accessToken: "", idToken: "", refreshToken: "" },
});
const withKey = async (): Promise<Ctx> => ({
  ...(await justRegistered()),
  keyId: ok(await rest("/admin/keys", { method: "POST", body: { name: "events-test", scopes: ["read"] } })).json.keyId,
});
const keyOf = (ctx: Ctx) => ({ keyId: ctx.keyId ?? "" });

const ROWS: Record<Events.EventType, Row> = {
  "user.registered": {
    setup: async () => ({ body: newUser(), user: { id: "", activationCode: "" }, tokens: {} as Ctx["tokens"] }),
    act: async (ctx) => {
      const res = ok(await rest("/user", { method: "POST", body: ctx.body }), 201);
      return { subject: { userId: res.json.id }, actor: BOOTSTRAP };
    },
  },
  "user.activated": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/activate/${ctx.user.activationCode}`));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.status_changed": {
    setup: active,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/status/UNCONFIRMED`, { method: "PATCH" }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.role_changed": {
    setup: active,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/role/MODERATOR`, { method: "PATCH" }));
      return { subject: user(ctx), actor: BOOTSTRAP, produces: ["user.role_changed", "session.ended"] };
    },
  },
  "user.profile_updated": {
    setup: active,
    act: async (ctx) => {
      ok(
        await rest("/public/user/me/profile", {
          method: "PATCH",
          body: { lang: "en-GB" },
          headers: bearer(ctx.tokens.accessToken),
        }),
      );
      return { subject: user(ctx), actor: self(ctx.user.id) };
    },
  },
  "user.data_replaced": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/data/update`, { method: "PUT", body: { plan: "gold" } }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.data_merged": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/data/update`, { method: "PATCH", body: { theme: "dark" } }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.badge_issued": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/badge/EARLY_ADOPTER`, { method: "POST" }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.badge_revoked": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}/badge/NEW_MEMBER`, { method: "DELETE" }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "user.avatar_changed": {
    setup: active,
    act: async (ctx) => {
      const headers = bearer(ctx.tokens.accessToken);
      const ticket = ok(
        await rest("/public/user/me/avatar/upload", { method: "POST", body: { contentType: "image/png" }, headers }),
      );
      await s3().send(
        new PutObjectCommand({ Bucket: Config.bucketName, Key: ticket.json.key, Body: PNG, ContentType: "image/png" }),
      );
      ok(await rest("/public/user/me/avatar/confirm", { method: "POST", body: { key: ticket.json.key }, headers }));
      return { subject: user(ctx), actor: self(ctx.user.id) };
    },
  },
  "user.deleted": {
    setup: justRegistered,
    act: async (ctx) => {
      ok(await rest(`/user/${ctx.user.id}`, { method: "DELETE" }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "session.login_succeeded": {
    setup: active,
    act: async (ctx) => {
      const body = { email: ctx.body.email, password: ctx.body.password, clientIp: CLIENT_IP };
      ok(await rest("/auth/login", { method: "POST", body }));
      return { subject: user(ctx), actor: BOOTSTRAP, sourceIp: CLIENT_IP };
    },
  },
  "session.login_failed": {
    setup: active,
    act: async (ctx) => {
      const body = { email: ctx.body.email, password: "Wrong-Horse1", clientIp: CLIENT_IP };
      ok(await rest("/auth/login", { method: "POST", body }), 401);
      return { subject: user(ctx), actor: BOOTSTRAP, sourceIp: CLIENT_IP };
    },
  },
  "session.locked_out": {
    setup: async () => {
      const ctx = await active();
      // The limit's worth of failures from one address (each its own session.login_failed)…
      for (let i = 0; i < Number(process.env.IAM_LOCKOUT_MAX_FAILURES ?? 5); i++)
        ok(
          await rest("/auth/login", {
            method: "POST",
            body: { email: ctx.body.email, password: "Wrong-Horse1", clientIp: "198.51.100.9" },
          }),
          401,
        );
      return ctx;
    },
    // …then one more is refused by the lockout: that refusal is the event.
    act: async (ctx) => {
      const body = { email: ctx.body.email, password: "Wrong-Horse1", clientIp: "198.51.100.9" };
      ok(await rest("/auth/login", { method: "POST", body }), 429);
      return { subject: user(ctx), actor: BOOTSTRAP, sourceIp: "198.51.100.9" };
    },
  },
  "session.ended": {
    setup: active,
    act: async (ctx) => {
      ok(await rest("/public/user/me/logout", { method: "POST", headers: bearer(ctx.tokens.accessToken) }));
      return { subject: user(ctx), actor: self(ctx.user.id) };
    },
  },
  "password.reset_requested": {
    setup: active,
    act: async (ctx) => {
      ok(await rest("/auth/password/forgot", { method: "POST", body: { email: ctx.body.email } }));
      return { subject: user(ctx), actor: BOOTSTRAP };
    },
  },
  "password.reset": {
    setup: async () => {
      const ctx = await active();
      const ticket = ok(await rest("/auth/password/forgot", { method: "POST", body: { email: ctx.body.email } }));
      return { ...ctx, resetCode: ticket.json.resetCode as string };
    },
    act: async (ctx) => {
      const code = (ctx as Ctx & { resetCode: string }).resetCode;
      ok(await rest("/auth/password/reset", { method: "POST", body: { code, newPassword: "Another-Horse2" } }));
      return { subject: user(ctx), actor: BOOTSTRAP, produces: ["session.ended", "password.reset"] };
    },
  },
  "password.changed": {
    setup: active,
    act: async (ctx) => {
      const body = { currentPassword: ctx.body.password, newPassword: "Another-Horse2" };
      ok(await rest("/public/user/me/password", { method: "POST", body, headers: bearer(ctx.tokens.accessToken) }));
      return { subject: user(ctx), actor: self(ctx.user.id), produces: ["session.ended", "password.changed"] };
    },
  },
  "apikey.created": {
    setup: justRegistered,
    act: async () => {
      const res = ok(await rest("/admin/keys", { method: "POST", body: { name: "events-test", scopes: ["read"] } }));
      return { subject: { keyId: res.json.keyId }, actor: BOOTSTRAP };
    },
  },
  "apikey.rotated": {
    setup: withKey,
    act: async (ctx) => {
      ok(await rest(`/admin/keys/${ctx.keyId}/rotate`, { method: "POST", body: { graceSeconds: 60 } }));
      return { subject: keyOf(ctx), actor: BOOTSTRAP };
    },
  },
  "apikey.revoked": {
    setup: withKey,
    act: async (ctx) => {
      ok(await rest(`/admin/keys/${ctx.keyId}`, { method: "DELETE" }));
      return { subject: keyOf(ctx), actor: BOOTSTRAP };
    },
  },
};

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("every event type is written by the action that makes it, once, with its actor", () => {
  it("has a row for every catalogue type", () => {
    expect(Object.keys(ROWS).sort()).toEqual([...Events.EVENT_TYPES].sort());
  });

  it.each(Events.EVENT_TYPES)("%s", async (type) => {
    const row = ROWS[type];
    const ctx = await row.setup();
    // Revocation has one-second resolution: the action's tokens must postdate the setup's.
    if (ctx.user.id) await pastRevocationSecond();
    const subjectBefore = ctx.keyId ? keyOf(ctx) : ctx.user.id ? user(ctx) : undefined;
    const before = new Set((subjectBefore ? await allEventsOf(subjectBefore) : []).map((e) => e.id));
    const run = await row.act(ctx);
    const added = (await allEventsOf(run.subject)).filter((e) => !before.has(e.id));
    expect(added.map((e) => e.type).sort()).toEqual([...(run.produces ?? [type])].sort());
    for (const event of added) {
      expect(event.actor, event.type).toEqual(run.actor);
      expect(Events.subjectOf(event)).toEqual(run.subject);
      if (run.sourceIp) expect(event.sourceIp, event.type).toBe(run.sourceIp);
      expect(Date.parse(event.at)).toBeGreaterThan(Date.now() - 120_000);
    }
  });
});

describe("failure events exist for addresses with no account too (keyed by the address's hash)", () => {
  it("a failed login and a reset request of an unknown address each write one event about its hash", async () => {
    const email = newUser().email;
    const subject = { addressHash: Events.addressHash(email) };
    ok(await rest("/auth/login", { method: "POST", body: { email, password: "Wrong-Horse1" } }), 401);
    ok(await rest("/auth/password/forgot", { method: "POST", body: { email } }));
    const events = await allEventsOf(subject);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["session.login_failed", { reason: "invalid_credentials" }],
      ["password.reset_requested", {}],
    ]);
    for (const event of events) expect(event.actor).toEqual(BOOTSTRAP);
  });
});

describe("a change that changes nothing records nothing", () => {
  it("issuing a badge the user has, revoking one they lack, setting the status or profile they have: no event", async () => {
    const { user: u, tokens } = await activeUser();
    await pastRevocationSecond();
    const before = (await allEventsOf({ userId: u.id })).length;
    ok(await rest(`/user/${u.id}/badge/NEW_MEMBER`, { method: "POST" }));
    ok(await rest(`/user/${u.id}/badge/EARLY_ADOPTER`, { method: "DELETE" }));
    ok(await rest(`/user/${u.id}/status/CONFIRMED`, { method: "PATCH" }));
    ok(
      await rest("/public/user/me/profile", {
        method: "PATCH",
        body: { lang: "en-US" },
        headers: bearer(tokens.accessToken),
      }),
    );
    expect(await allEventsOf({ userId: u.id })).toHaveLength(before);
    // And a real change still records one.
    ok(await rest(`/user/${u.id}/badge/EARLY_ADOPTER`, { method: "POST" }));
    expect((await allEventsOf({ userId: u.id })).slice(before).map((e) => e.type)).toEqual(["user.badge_issued"]);
  });

  it.each(["CONFIRMED", "SUSPENDED"])(
    "activating a user already %s consumes the code, keeps the status, records no user.activated",
    async (status) => {
      const { user: u } = await registered();
      ok(await rest(`/user/${u.id}/status/${status}`, { method: "PATCH" }));
      const before = (await allEventsOf({ userId: u.id })).length;
      expect(ok(await rest(`/user/activate/${u.activationCode}`)).json.status).toBe(status);
      expect((await rest(`/user/activate/${u.activationCode}`)).status).toBe(404);
      expect(await allEventsOf({ userId: u.id })).toHaveLength(before);
    },
  );

  it("revoking a revoked key answers the key as it is and records nothing", async () => {
    const { keyId } = ok(await rest("/admin/keys", { method: "POST", body: { name: "twice", scopes: ["read"] } })).json;
    const first = ok(await rest(`/admin/keys/${keyId}`, { method: "DELETE" })).json;
    expect(first.revokedAt).toEqual(expect.any(String));
    await new Promise((r) => setTimeout(r, 5)); // a second revocation must not stamp a later revokedAt
    const second = ok(await rest(`/admin/keys/${keyId}`, { method: "DELETE" })).json;
    expect(second).toEqual(first);
    expect((await allEventsOf({ keyId })).map((e) => e.type)).toEqual(["apikey.created", "apikey.revoked"]);
  });

  it("the data events name the blob's top-level keys, never their values", async () => {
    const { user: u } = await registered();
    ok(await rest(`/user/${u.id}/data/update`, { method: "PUT", body: { plan: "gold", limits: { seats: 3 } } }));
    ok(await rest(`/user/${u.id}/data/update`, { method: "PATCH", body: { plan: null, theme: "dark" } }));
    const data = (await allEventsOf({ userId: u.id }))
      .filter((e) => e.type.startsWith("user.data_"))
      .map((e) => e.data);
    expect(data).toEqual([{ keys: ["plan", "limits"] }, { keys: ["plan", "theme"] }]);
  });
});

describe("a lockout is recorded once per window, not once per refused attempt", () => {
  /** Runs `fn` with a lockout window long enough that the attempts below cannot outlast it. */
  const withLongWindow = async <T>(fn: () => Promise<T>): Promise<T> => {
    const saved = process.env.IAM_LOCKOUT_WINDOW_SECONDS;
    process.env.IAM_LOCKOUT_WINDOW_SECONDS = "600";
    try {
      return await fn();
    } finally {
      process.env.IAM_LOCKOUT_WINDOW_SECONDS = saved;
    }
  };
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (e: unknown) => (isAppError(e) ? e.code : String(e)),
    );

  it("N+5 attempts against one account from one address: exactly one session.locked_out", async () => {
    const { user: u, body } = await activeUser();
    const limit = Config.lockout.maxFailures;
    const audit = { actor: BOOTSTRAP, sourceIp: "198.51.100.77" };
    const codes = await withLongWindow(async () => {
      const out: string[] = [];
      for (let i = 0; i < limit + 5; i++) out.push(await codeOf(Auth.login(body.email, "Wrong-Horse1", audit)));
      return out;
    });
    expect(codes).toEqual([...Array(limit).fill("UNAUTHORIZED"), ...Array(5).fill("TOO_MANY_REQUESTS")]);
    const events = await allEventsOf({ userId: u.id });
    expect(events.filter((e) => e.type === "session.login_failed")).toHaveLength(limit);
    expect(events.filter((e) => e.type === "session.locked_out").map((e) => e.data)).toEqual([
      { scope: "address", retryAfterSeconds: expect.any(Number) },
    ]);
  });

  it("an unknown address locked out: one session.locked_out about its hash", async () => {
    const email = newUser().email;
    const limit = Config.lockout.maxFailures;
    const audit = { actor: BOOTSTRAP, sourceIp: "198.51.100.78" };
    const codes = await withLongWindow(async () => {
      const out: string[] = [];
      for (let i = 0; i < limit + 2; i++) out.push(await codeOf(Auth.login(email, "Wrong-Horse1", audit)));
      return out;
    });
    expect(codes).toEqual([...Array(limit).fill("UNAUTHORIZED"), ...Array(2).fill("TOO_MANY_REQUESTS")]);
    const events = await allEventsOf({ addressHash: Events.addressHash(email) });
    expect(events.map((e) => e.type)).toEqual([...Array(limit).fill("session.login_failed"), "session.locked_out"]);
    for (const event of events) {
      expect(event.actor).toEqual(BOOTSTRAP);
      expect(event.sourceIp).toBe("198.51.100.78");
    }
  });
});

describe("user.avatar_changed names the object, not a URL (hosts and ports change)", () => {
  it("its data is the published avatar's key, which the user's avatarUrl ends with", async () => {
    const { user: u, tokens } = await activeUser();
    const headers = bearer(tokens.accessToken);
    const ticket = ok(
      await rest("/public/user/me/avatar/upload", { method: "POST", body: { contentType: "image/png" }, headers }),
    );
    await s3().send(
      new PutObjectCommand({ Bucket: Config.bucketName, Key: ticket.json.key, Body: PNG, ContentType: "image/png" }),
    );
    const confirmed = ok(
      await rest("/public/user/me/avatar/confirm", { method: "POST", body: { key: ticket.json.key }, headers }),
    );
    const [event] = (await allEventsOf({ userId: u.id })).filter((e) => e.type === "user.avatar_changed");
    const avatarKey = ticket.json.key.replace(/^[^/]+\//, "avatars/");
    expect(event?.data).toEqual({ avatarKey });
    expect(avatarKey.startsWith(`avatars/${u.id}/`)).toBe(true);
    expect(confirmed.json.profile.profileData.avatarUrl).toMatch(new RegExp(`/${avatarKey}$`));
  });
});
