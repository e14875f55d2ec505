import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError, Config, Events } from "@iam/core";
import { db, dynamo } from "@iam/core/testing";
import { actor, commitWithChange, eventOf } from "./writer.ts";

/**
 * The event model and its store, driven as a writer will drive it: the event's write is one element
 * of the change's transaction (`Events.put`), and the read side pages a subject's events newest
 * first with the directory's signed cursor.
 */
const stored = async (event: Events.Event) => {
  const { data } = await db()
    .entities.event.get({ subject: Events.subjectKey(Events.subjectOf(event)), id: event.id })
    .go({ consistent: true });
  return data;
};

const newEvents = (userId: string, types: Events.EventType[]) => types.map((type) => eventOf(userId, type));

describe("events: the model", () => {
  it("has every type the issue lists, each with an example its schema accepts", () => {
    expect([...Events.EVENT_TYPES].sort()).toEqual(
      [
        "user.registered",
        "user.activated",
        "user.status_changed",
        "user.role_changed",
        "user.profile_updated",
        "user.data_replaced",
        "user.data_merged",
        "user.badge_issued",
        "user.badge_revoked",
        "user.avatar_changed",
        "user.deleted",
        "session.login_succeeded",
        "session.login_failed",
        "session.locked_out",
        "session.ended",
        "password.reset_requested",
        "password.reset",
        "password.changed",
        "apikey.created",
        "apikey.rotated",
        "apikey.revoked",
      ].sort(),
    );
    for (const type of Events.EVENT_TYPES)
      expect(Events.CATALOGUE[type].data.safeParse(Events.CATALOGUE[type].example).success, type).toBe(true);
  });

  it("gives each event a ULID that increases within a process, even within one millisecond, and an ISO time", () => {
    const now = Date.now();
    const ids = Array.from(
      { length: 50 },
      () => Events.create({ type: "session.login_succeeded", subject: { userId: "u" }, actor, data: {} }, now).id,
    );
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const event = Events.create(
      { type: "user.activated", subject: { userId: "u" }, actor, sourceIp: "203.0.113.7", data: {} },
      now,
    );
    expect(event).toMatchObject({
      type: "user.activated",
      userId: "u",
      at: new Date(now).toISOString(),
      actor,
      sourceIp: "203.0.113.7",
      data: {},
    });
  });

  it("refuses data the catalogue does not name: an extra field (a password, say) or a wrong shape", () => {
    const extra = { email: "a@example.com", name: "a", handle: "@A", password: "Correct-Horse1" };
    expect(() =>
      Events.create({ type: "user.registered", subject: { userId: "u" }, actor, data: extra as never }),
    ).toThrow();
    expect(() =>
      Events.create({ type: "user.data_replaced", subject: { userId: "u" }, actor, data: { keys: "plan" } as never }),
    ).toThrow();
  });

  it("keys failure events of an address with no account by the address's hash (SHA-256 of the lower-cased e-mail)", () => {
    const hash = Events.addressHash("Nobody@Example.com");
    expect(hash).toBe(Events.addressHash("nobody@example.com"));
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const event = Events.create({
      type: "session.login_failed",
      subject: { addressHash: hash },
      actor: { type: "system" },
      data: { reason: "invalid_credentials" },
    });
    expect(event.addressHash).toBe(hash);
    expect(event.userId).toBeUndefined();
  });
});

describe("events: the store", () => {
  it("commits the event in the same transaction as the change: both, or (the change failing) neither", async () => {
    const userId = randomUUID();
    const [ok, failed] = newEvents(userId, ["user.activated", "user.activated"]) as [Events.Event, Events.Event];
    const committed = await commitWithChange(ok);
    expect(committed.canceled).toBe(false);
    expect(await stored(ok)).not.toBeNull();

    const refused = await commitWithChange(failed, { failChange: true });
    expect(refused.canceled).toBe(true);
    expect(await stored(failed)).toBeNull();
    expect((await Events.list({ userId })).events.map((e) => e.id)).toEqual([ok.id]);
  });

  it("stores an event with a TTL of the retention period (400 days by default)", async () => {
    const [event] = newEvents(randomUUID(), ["user.activated"]) as [Events.Event];
    await commitWithChange(event);
    const item = await stored(event);
    expect(Config.eventRetentionDays).toBe(400);
    expect(item?.expiresAt).toBe(Math.floor(Date.parse(event.at) / 1000) + 400 * 24 * 3600);
  });

  it("records a failure event on its own (the follow-up write)", async () => {
    const addressHash = Events.addressHash(`nobody.${randomUUID()}@example.com`);
    const event = Events.create({ type: "password.reset_requested", subject: { addressHash }, actor, data: {} });
    await Events.record(event);
    expect((await Events.list({ addressHash })).events).toEqual([event]);
  });

  it("lists a subject's events newest first, a page at a time, each event once, and only that subject's", async () => {
    const userId = randomUUID();
    const types: Events.EventType[] = [
      "user.registered",
      "user.activated",
      "session.login_succeeded",
      "user.badge_issued",
      "session.login_succeeded",
      "session.ended",
      "password.changed",
    ];
    const events = newEvents(userId, types);
    for (const event of events) await commitWithChange(event);
    await commitWithChange(newEvents(randomUUID(), ["user.activated"])[0] as Events.Event); // someone else's

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await Events.list({ userId }, { limit: 3, cursor });
      pages.push(page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(events.map((e) => e.id).reverse());
    const [newest] = (await Events.list({ userId }, { limit: 1 })).events;
    expect(newest).toEqual(events[events.length - 1]);
  });

  it("lists one type only, with full pages (a Query on the subject+type index, not a filter)", async () => {
    const userId = randomUUID();
    const events = newEvents(userId, [
      "session.login_succeeded",
      "user.activated",
      "session.login_succeeded",
      "user.activated",
      "session.login_succeeded",
    ]);
    for (const event of events) await commitWithChange(event);
    const logins = events
      .filter((e) => e.type === "session.login_succeeded")
      .map((e) => e.id)
      .reverse();
    const first = await Events.list({ userId }, { type: "session.login_succeeded", limit: 2 });
    expect(first.events.map((e) => e.id)).toEqual(logins.slice(0, 2));
    expect(first.nextCursor).not.toBeNull();
    const second = await Events.list(
      { userId },
      { type: "session.login_succeeded", limit: 2, cursor: first.nextCursor ?? undefined },
    );
    expect(second.events.map((e) => e.id)).toEqual(logins.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a changed cursor, or one presented for another subject or another type: 400, nothing read", async () => {
    const userId = randomUUID();
    for (const event of newEvents(userId, ["user.activated", "user.activated", "user.activated"]))
      await commitWithChange(event);
    const { nextCursor } = await Events.list({ userId }, { limit: 1 });
    expect(nextCursor).toMatch(/\./);
    const cursor = nextCursor ?? "";
    const [payload = "", mac = ""] = cursor.split(".");
    const forged = `${Buffer.from(JSON.stringify(["01ZZZZZZZZZZZZZZZZZZZZZZZZ"])).toString("base64url")}.${mac}`;
    const flipped = `${payload}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
    const attempts = [
      () => Events.list({ userId }, { limit: 1, cursor: forged }),
      () => Events.list({ userId }, { limit: 1, cursor: flipped }),
      () => Events.list({ userId: randomUUID() }, { limit: 1, cursor }),
      () => Events.list({ userId }, { limit: 1, type: "user.activated", cursor }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_REQUEST");
    }
    expect((await Events.list({ userId }, { limit: 1, cursor })).events).toHaveLength(1); // the real one still works
  });
});

describe("events: the security log's cost", () => {
  /** The DynamoDB commands `run` sends, counted by an SDK middleware on the client the service uses. */
  const commandsOf = async (run: () => Promise<unknown>): Promise<string[]> => {
    const sent: string[] = [];
    const name = `count-security-log-${randomUUID()}`;
    dynamo().middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      await run();
    } finally {
      dynamo().middlewareStack.remove(name);
    }
    return sent;
  };

  it("is one Query however many other events the user has (500 newer profile events here)", async () => {
    const userId = randomUUID();
    const security = newEvents(userId, ["session.login_succeeded", "session.ended", "password.changed"]);
    for (const event of security) await Events.record(event);
    // Newer than the security events, so a listing that filters reads through all of them first.
    const others = Array.from({ length: 500 }, () => eventOf(userId, "user.data_merged"));
    for (let i = 0; i < others.length; i += 25) await Promise.all(others.slice(i, i + 25).map(Events.record));

    let page: Events.Page | undefined;
    const sent = await commandsOf(async () => {
      page = await Events.listSecurity(userId, { limit: 20 });
    });
    expect(page?.events.map((e) => e.id)).toEqual(security.map((e) => e.id).reverse());
    expect(page?.nextCursor).toBeNull();
    expect(sent.filter((c) => c === "QueryCommand").length).toBeLessThanOrEqual(1);
    expect(sent.filter((c) => c !== "QueryCommand")).toEqual([]);
  });
});
