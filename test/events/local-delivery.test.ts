import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config, Events } from "@iam/core";
import { startEventDelivery, type EventDelivery } from "@iam/local/events/delivery";
import { startReceiver, type Received, type Receiver } from "../support/webhook-receiver.ts";
import { commitEvents, commitWithChange, eventOf } from "./writer.ts";

/**
 * `npm start`'s webhook delivery (packages/local/src/events), on the suite's stack: it reads
 * DynamoDB Local's stream and sends each committed event to the receivers this test starts, signed
 * as Standard Webhooks. Events are written as the writers will write them: `Events.put` inside a
 * transaction with a change. Every test filters what it receives by its own user, since the stream
 * carries the whole suite's writes.
 */
const secret = Events.newSecret();
const dirs: string[] = [];
const deliveries: EventDelivery[] = [];
const receivers: Receiver[] = [];

const receiver = async () => {
  const r = await startReceiver();
  receivers.push(r);
  return r;
};

/** Delivery to these URLs, from a state folder of its own; resolves once it has read the stream to its end. */
const deliver = async (urls: string[], schedule: number[], timeoutSeconds = 5) => {
  const dataDir = await mkdtemp(join(tmpdir(), "iam-events-"));
  dirs.push(dataDir);
  const delivery = await startEventDelivery({
    dataDir,
    urls,
    secret,
    schedule,
    timeoutSeconds,
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "",
    tableName: Config.tableName,
    // These tests delete no user; the table is shared, so the purges are other files' to make.
    purgesUser: () => false,
  });
  deliveries.push(delivery);
  await delivery.caughtUp();
  return delivery;
};

const verified = (r: Received) => new Webhook(secret).verify(r.body, r.headers) as Events.Event;
const forUser = (userId: string) => (list: Received[]) =>
  list.filter((r) => (JSON.parse(r.body) as Events.Event).userId === userId);

afterAll(async () => {
  await Promise.all(deliveries.map((d) => d.stop()));
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("local webhook delivery (npm start)", () => {
  let healthy: Receiver;
  beforeAll(async () => {
    healthy = await receiver();
    await deliver([healthy.url], [1, 2, 5]);
  });

  it("delivers register → activate → login → badge → delete as signed Standard Webhooks, in order, each soon after its commit", async () => {
    const userId = randomUUID();
    const committed = await commitEvents(userId, [
      "user.registered",
      "user.activated",
      "session.login_succeeded",
      "user.badge_issued",
      "user.deleted",
    ]);
    const got = forUser(userId)(await healthy.until((all) => forUser(userId)(all).length >= 5));

    // Verified with the standardwebhooks package: the signature covers id, timestamp and body.
    const events = got.map(verified);
    expect(events).toEqual(committed.map((c) => c.event));
    for (const [i, r] of got.entries()) {
      const { event, committedAt } = committed[i] as (typeof committed)[number];
      expect(r.headers["webhook-id"]).toBe(event.id);
      expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      expect(r.headers["content-type"]).toBe("application/json");
      // The "within 2 s", checked generously (a shared, loaded machine): 10 s.
      expect(r.at - committedAt, event.type).toBeLessThan(10_000);
    }
    // A body or id changed on the way is refused.
    const [first] = got as [Received];
    expect(() => new Webhook(secret).verify(first.body.replace(userId, randomUUID()), first.headers)).toThrow();
    expect(() => new Webhook(Events.newSecret()).verify(first.body, first.headers)).toThrow();
  });

  it("keeps a user's events in commit order when many are committed at once", async () => {
    const userId = randomUUID();
    const types = Array.from(
      { length: 12 },
      (_, i): Events.EventType => (i % 2 ? "session.login_succeeded" : "session.ended"),
    );
    const committed = await commitEvents(userId, types);
    const got = forUser(userId)(await healthy.until((all) => forUser(userId)(all).length >= types.length));
    expect(got.map((r) => r.headers["webhook-id"])).toEqual(committed.map((c) => c.event.id));
  });
});

describe("local webhook retries and dead letters", () => {
  // Each delivery reads the suite's stream from its start before it is caught up: done here, under
  // the hook's longer timeout, rather than inside the tests.
  let flaky: Receiver, down: Receiver, hanging: Receiver, picky: Receiver;
  beforeAll(async () => {
    [flaky, down, hanging, picky] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    down.answer(() => 503);
    hanging.answer(() => "hang");
    await Promise.all([
      // The local default schedule: a first retry after about 1 s.
      deliver([flaky.url], [1, 2, 5, 15, 60, 300]),
      deliver([down.url, hanging.url], [0.2, 0.2], 1),
      deliver([picky.url], [2, 2, 2]),
    ]);
  });

  it("a receiver that answers 500 twice gets the same webhook-id a third time, with a fresh timestamp, within a minute", async () => {
    const userId = randomUUID();
    let failures = 0;
    flaky.answer((r) => ((JSON.parse(r.body) as Events.Event).userId === userId && failures++ < 2 ? 500 : 204));
    const [{ event }] = (await commitEvents(userId, ["user.activated"])) as [
      { event: Events.Event; committedAt: number },
    ];
    const got = forUser(userId)(await flaky.until((all) => forUser(userId)(all).length >= 3, 60_000));
    expect(got).toHaveLength(3);
    expect(got.map((r) => r.headers["webhook-id"])).toEqual([event.id, event.id, event.id]);
    const stamps = got.map((r) => Number(r.headers["webhook-timestamp"]));
    expect(stamps[1]).toBeGreaterThan(stamps[0] as number);
    expect(stamps[2]).toBeGreaterThan(stamps[1] as number);
    for (const r of got) expect(verified(r)).toEqual(event); // each signed for its own timestamp
    expect((got[2] as Received).at - (got[0] as Received).at).toBeLessThan(60_000);
    // Delivered on the third attempt: no fourth.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(forUser(userId)(flaky.received)).toHaveLength(3);
  }, 90_000);

  it("a receiver that always fails ends in a dead letter that can be listed; a timeout counts as a failure", async () => {
    const userId = randomUUID();
    const [{ event }] = (await commitEvents(userId, ["user.badge_revoked"])) as [
      { event: Events.Event; committedAt: number },
    ];

    const deadLettersOf = async () =>
      (await Events.DeadLetters.list({ limit: 100 })).deadLetters.filter((d) => d.event.id === event.id);
    const deadline = Date.now() + 50_000;
    let dead = await deadLettersOf();
    while (dead.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      dead = await deadLettersOf();
    }
    expect(dead.map((d) => d.url).sort()).toEqual([down.url, hanging.url].sort());
    for (const d of dead) {
      expect(d.attempts).toBe(3);
      expect(d.event).toEqual(event);
      expect(d.lastFailure).toBe(d.url === down.url ? "HTTP 503" : "no answer within 1 s");
    }
    expect(forUser(userId)(down.received)).toHaveLength(3);
    expect(forUser(userId)(hanging.received)).toHaveLength(3);
  }, 90_000);

  it("a delivery that keeps failing does not hold up the same user's later events (they are not queued behind it)", async () => {
    const userId = randomUUID();
    const events = (["user.status_changed", "user.role_changed", "user.profile_updated"] as const).map((type) =>
      eventOf(userId, type),
    );
    const blocked = events[0]?.id;
    picky.answer((r) => (r.headers["webhook-id"] === blocked ? 500 : 204));
    for (const event of events) await commitWithChange(event);
    const got = forUser(userId)(
      await picky.until((all) => forUser(userId)(all).filter((r) => r.headers["webhook-id"] !== blocked).length >= 2),
    );
    const ids = got.map((r) => r.headers["webhook-id"]);
    // The two later events arrived while the first was still waiting for its first retry (2 s away).
    expect(ids.filter((id) => id === blocked)).toHaveLength(1);
    expect(ids.slice(1)).toEqual([events[1]?.id, events[2]?.id]);
  }, 90_000);
});
