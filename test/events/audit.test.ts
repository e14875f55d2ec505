import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Badge, Config, Events, User } from "@iam/core";
import { startEventDelivery, type EventDelivery } from "@iam/local/events/delivery";
import { activeUser, bearer, itemsMentioning, newUser, registered, rest } from "../helpers.ts";
import { pastRevocationSecond } from "../lifecycle/helpers.ts";
import { failing, restoreAllFaults, SERVER_ERROR } from "../support/aws-faults.ts";
import { startReceiver, type Received, type Receiver } from "../support/webhook-receiver.ts";
import { allEventsOf } from "./writer.ts";

const ok = <R extends { status: number; json: any }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  return res;
};

describe("no event carries a secret", () => {
  it("a whole lifecycle's events hold none of its passwords, tokens, codes, key secrets or data values", async () => {
    const { body, user, tokens } = await activeUser();
    const secrets: string[] = [
      body.password,
      user.activationCode,
      tokens.accessToken,
      tokens.idToken,
      tokens.refreshToken,
    ];
    await pastRevocationSecond();
    const headers = bearer(tokens.accessToken);
    ok(await rest(`/user/${user.id}/data/update`, { method: "PUT", body: { plan: "s3cret-plan-value" } }));
    ok(await rest(`/user/${user.id}/data/update`, { method: "PATCH", body: { card: "4111-1111-1111-1111" } }));
    secrets.push("s3cret-plan-value", "4111-1111-1111-1111");
    ok(
      await rest("/public/user/me/password", {
        method: "POST",
        body: { currentPassword: body.password, newPassword: "Second-Horse2" },
        headers,
      }),
    );
    secrets.push("Second-Horse2");
    const forgot = ok(await rest("/auth/password/forgot", { method: "POST", body: { email: body.email } }));
    secrets.push(forgot.json.resetCode);
    ok(
      await rest("/auth/password/reset", {
        method: "POST",
        body: { code: forgot.json.resetCode, newPassword: "Third-Horse3" },
      }),
    );
    secrets.push("Third-Horse3");
    await pastRevocationSecond();
    const login = ok(
      await rest("/auth/login", { method: "POST", body: { email: body.email, password: "Third-Horse3" } }),
    );
    secrets.push(login.json.accessToken, login.json.idToken, login.json.refreshToken);
    ok(await rest("/auth/login", { method: "POST", body: { email: body.email, password: "Wrong-Horse9" } }), 401);
    secrets.push("Wrong-Horse9");
    const key = ok(await rest("/admin/keys", { method: "POST", body: { name: "scan", scopes: ["read"] } }));
    const rotated = ok(
      await rest(`/admin/keys/${key.json.keyId}/rotate`, { method: "POST", body: { graceSeconds: 5 } }),
    );
    secrets.push(key.json.apiKey, rotated.json.apiKey);
    ok(await rest(`/user/${user.id}`, { method: "DELETE" }));

    const events = [...(await allEventsOf({ userId: user.id })), ...(await allEventsOf({ keyId: key.json.keyId }))];
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThanOrEqual(10);
    const text = JSON.stringify(events);
    for (const secret of secrets) expect(text.includes(secret), `an event holds ${secret.slice(0, 12)}…`).toBe(false);
    // Nor the stored items of those events (their payload is the event, the rest are keys).
    for (const secret of secrets) expect(await itemsMentioning(secret)).toEqual([]);
  });
});

describe("an injected failure of the change's transaction leaves neither change nor event", () => {
  it("a badge issue whose TransactWriteItems fails (msw, 500 on every try) writes no badge and no event", async () => {
    const { user } = await registered();
    const before = await allEventsOf({ userId: user.id });
    failing("dynamodb", "TransactWriteItems", SERVER_ERROR.dynamodb);
    try {
      await expect(Badge.issue(user.id, "EARLY_ADOPTER")).rejects.toThrow();
      await expect(User.replaceData(user.id, { plan: "gold" })).rejects.toThrow();
    } finally {
      restoreAllFaults();
    }
    const after = await User.getById(user.id, { consistent: true });
    expect(after.profile.badges.map((b) => b.name)).toEqual(["NEW_MEMBER"]);
    expect(after.profile.data).toEqual({});
    expect(await allEventsOf({ userId: user.id })).toEqual(before);
    // With the fault gone, the same calls write the change and its event.
    await Badge.issue(user.id, "EARLY_ADOPTER");
    expect((await allEventsOf({ userId: user.id })).map((e) => e.type)).toEqual([
      ...before.map((e) => e.type),
      "user.badge_issued",
    ]);
  });
});

describe("audit routes", () => {
  it("GET /user/{id}/events pages newest first with a signed cursor, by type too", async () => {
    const { user } = await registered();
    for (const badge of ["EARLY_ADOPTER", "HELPFUL", "FIRST_POST"])
      ok(await rest(`/user/${user.id}/badge/${badge}`, { method: "POST" }));
    const all = await allEventsOf({ userId: user.id });
    expect(all.map((e) => e.type)).toEqual([
      "user.registered",
      "user.badge_issued",
      "user.badge_issued",
      "user.badge_issued",
    ]);
    const first = ok(await rest(`/user/${user.id}/events?limit=3`));
    expect(first.json.events.map((e: Events.Event) => e.id)).toEqual(
      all
        .slice(1)
        .reverse()
        .map((e) => e.id),
    );
    const second = ok(await rest(`/user/${user.id}/events?limit=3&cursor=${first.json.nextCursor}`));
    expect(second.json).toEqual({ events: [all[0]], nextCursor: null });
    const typed = ok(await rest(`/user/${user.id}/events?type=user.badge_issued&limit=2`));
    expect(typed.json.events.map((e: Events.Event) => e.data)).toEqual([{ badge: "FIRST_POST" }, { badge: "HELPFUL" }]);
    // A cursor from one listing does not open another (another type, another user): 400.
    expect((await rest(`/user/${user.id}/events?limit=3&cursor=${typed.json.nextCursor}`)).status).toBe(400);
    const other = await registered();
    expect((await rest(`/user/${other.user.id}/events?cursor=${first.json.nextCursor}`)).status).toBe(400);
    expect((await rest(`/user/${user.id}/events?type=user.nonsense`)).status).toBe(400);
    expect((await rest(`/user/${user.id}/events`, { headers: { "x-api-key": "" } })).status).toBe(401);
  });

  it("GET /public/user/me/events is the caller's own security log, paged, and never anyone else's", async () => {
    const me = await activeUser();
    const other = await activeUser();
    // Security events of mine: a failed login, a logout (session.ended), besides the setup's login.
    ok(await rest("/auth/login", { method: "POST", body: { email: me.body.email, password: "Wrong-Horse1" } }), 401);
    ok(await rest(`/user/${me.user.id}/badge/HELPFUL`, { method: "POST" })); // not a security event
    await pastRevocationSecond();
    const login = ok(
      await rest("/auth/login", { method: "POST", body: { email: me.body.email, password: me.body.password } }),
    );
    const headers = bearer(login.json.accessToken);
    const page1 = ok(await rest("/public/user/me/events?limit=2", { headers }));
    const page2 = ok(await rest(`/public/user/me/events?limit=2&cursor=${page1.json.nextCursor}`, { headers }));
    const seen = [...page1.json.events, ...page2.json.events] as Events.Event[];
    expect(seen.map((e) => e.type)).toEqual([
      "session.login_succeeded",
      "session.login_failed",
      "session.login_succeeded",
    ]);
    expect(page2.json.nextCursor).toBeNull();
    for (const e of seen) expect(e.userId).toBe(me.user.id);
    // A type outside the security log is refused; the input cannot name another user.
    expect((await rest("/public/user/me/events?type=user.badge_issued", { headers })).status).toBe(400);
    const foreign = ok(await rest(`/public/user/me/events?userId=${other.user.id}&id=${other.user.id}`, { headers }));
    expect(foreign.json.events.length).toBeGreaterThanOrEqual(1);
    for (const e of foreign.json.events as Events.Event[]) expect(e.userId).toBe(me.user.id);
    // The other user's cursor (a real one: they have two security events, a page holds one) opens
    // their next page, and does not open my log.
    ok(await rest("/auth/login", { method: "POST", body: { email: other.body.email, password: "Wrong-Horse1" } }), 401);
    const otherHeaders = bearer(other.tokens.accessToken);
    const theirs = ok(await rest("/public/user/me/events?limit=1", { headers: otherHeaders }));
    expect(theirs.json.events.every((e: Events.Event) => e.userId === other.user.id)).toBe(true);
    expect(theirs.json.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(theirs.json.nextCursor);
    expect(
      ok(await rest(`/public/user/me/events?limit=1&cursor=${cursor}`, { headers: otherHeaders })).json.events,
    ).toHaveLength(1);
    expect((await rest(`/public/user/me/events?limit=1&cursor=${cursor}`, { headers })).status).toBe(400);
    // No bearer: 401; an API key is not a user.
    expect((await rest("/public/user/me/events")).status).toBe(401);
  });
});

/**
 * End to end through the real routes: `npm start`'s delivery (packages/local/src/events) reading
 * the suite's stream, a receiver started here, register → activate → login → badge → delete.
 */
describe("webhooks and the purge, through the routes", () => {
  const secret = Events.newSecret();
  let receiver: Receiver;
  let delivery: EventDelivery;
  let dataDir: string;
  /** The users this describe's tests delete and leave to the delivery to purge (none other: the table is shared). */
  const purgedHere = new Set<string>();
  beforeAll(async () => {
    receiver = await startReceiver();
    dataDir = await mkdtemp(join(tmpdir(), "iam-audit-"));
    delivery = await startEventDelivery({
      dataDir,
      urls: [receiver.url],
      secret,
      schedule: [1, 2, 5],
      timeoutSeconds: 5,
      endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "",
      tableName: Config.tableName,
      purgesUser: (id) => purgedHere.has(id),
    });
    await delivery.caughtUp();
  }, 120_000);
  afterAll(async () => {
    await delivery?.stop();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const forUser = (userId: string) => (all: Received[]) =>
    all.filter((r) => (JSON.parse(r.body) as Events.Event).userId === userId);

  it("delivers register → activate → login → badge → delete as signed webhooks in order; then purges all but user.deleted", async () => {
    const body = newUser();
    const changedAt: number[] = [];
    const reg = ok(await rest("/user", { method: "POST", body }), 201);
    changedAt.push(Date.now());
    const userId: string = reg.json.id;
    purgedHere.add(userId);
    ok(await rest(`/user/activate/${reg.json.activationCode}`));
    changedAt.push(Date.now());
    ok(await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } }));
    changedAt.push(Date.now());
    ok(await rest(`/user/${userId}/badge/EARLY_ADOPTER`, { method: "POST" }));
    changedAt.push(Date.now());
    expect((await allEventsOf({ userId })).length).toBe(4);
    const deleted = ok(await rest(`/user/${userId}`, { method: "DELETE" }));
    changedAt.push(Date.now());
    // The DELETE has answered; the purge has not run in its request.
    expect(deleted.json).toEqual({ deleted: true, id: userId });

    const got = forUser(userId)(await receiver.until((all) => forUser(userId)(all).length >= 5, 30_000));
    const events = got.map((r) => new Webhook(secret).verify(r.body, r.headers) as Events.Event);
    expect(events.map((e) => e.type)).toEqual([
      "user.registered",
      "user.activated",
      "session.login_succeeded",
      "user.badge_issued",
      "user.deleted",
    ]);
    for (const [i, r] of got.entries()) {
      expect(r.headers["webhook-id"]).toBe(events[i]?.id);
      // The issue's "within 2 s" of each change, checked generously on a shared machine: 10 s.
      expect(r.at - (changedAt[i] ?? 0)).toBeLessThan(10_000);
    }

    // The purge follows: the user's partition ends with the user.deleted record alone.
    const deadline = Date.now() + 30_000;
    let left = await allEventsOf({ userId });
    while (left.length > 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = await allEventsOf({ userId });
    }
    expect(left.map((e) => e.type)).toEqual(["user.deleted"]);
    expect(left[0]?.data).toEqual({});
    expect(await itemsMentioning(body.email)).toEqual([]);
  }, 90_000);

  it("purges in batches: a user with more events than a transaction holds keeps only user.deleted", async () => {
    const { user } = await registered();
    // 120 events (more than the 100 items a transaction or a purge page holds), each with a change.
    for (let i = 0; i < 60; i++) {
      await Badge.issue(user.id, "HELPFUL");
      await Badge.revoke(user.id, "HELPFUL");
    }
    expect((await allEventsOf({ userId: user.id })).length).toBe(121);
    await User.remove(user.id);
    // No delivery purges this user (the one above purges only the users its own test deletes):
    // this purge removes every event but user.deleted (user.registered and the 120), in more than one batch.
    expect(await Events.purgeUser(user.id)).toBe(121);
    expect((await allEventsOf({ userId: user.id })).map((e) => e.type)).toEqual(["user.deleted"]);
    expect(await Events.purgeUser(user.id)).toBe(0);
  }, 120_000);
});
