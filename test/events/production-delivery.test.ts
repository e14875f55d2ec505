import { fakeEventBridge, fakeSqs, restoreAllFaults, type EntryAnswer, type PutEntry } from "../support/aws-faults.ts"; // first: msw listens before any AWS client connects
import { randomUUID } from "node:crypto";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, SQSEvent, SQSRecord } from "aws-lambda";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Events, User } from "@iam/core";
import { db } from "@iam/core/testing";
import { handler as purge } from "@iam/functions/events/purger";
import { createPublisher } from "@iam/functions/events/publisher";
import { createWebhookSender } from "@iam/functions/events/webhook-sender";
import { startReceiver, type Receiver } from "../support/webhook-receiver.ts";
import { registered } from "../helpers.ts";
import { allEventsOf, eventOf } from "./writer.ts";

/**
 * The two production functions of the delivery chain, run in-process on real-shaped Lambda events.
 * EventBridge and SQS are answered at the HTTP layer (msw), so the SDK's requests and the
 * handlers' partial-batch responses are the real ones; dead letters go to the suite's table, and
 * webhooks to receivers this test starts.
 */
const BUS = "user-iam-prod-EventBusBus";
// The names these functions would be linked to (infra/events.ts), as the IAM audit's recorder reads them.
process.env.SST_RESOURCE_EventBus = JSON.stringify({
  name: BUS,
  arn: `arn:aws:events:eu-west-1:123456789012:event-bus/${BUS}`,
  type: "sst.aws.Bus",
});
const bus = fakeEventBridge();
const queue = fakeSqs();
afterEach(() => {
  bus.answer(() => "ok");
  bus.calls.length = 0;
  queue.sent.length = 0;
  queue.state.failing = false;
});
afterAll(() => restoreAllFaults());

// --- the stream publisher ----------------------------------------------------------------------

let sequence = 1_000_000;
/** A stream record as Lambda delivers it for a write ElectroDB made: the item's exact attributes. */
const streamRecord = (eventName: "INSERT" | "MODIFY", item: Record<string, unknown>): DynamoDBRecord => {
  const image: NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"] = JSON.parse(JSON.stringify(marshall(item)));
  return {
    eventID: randomUUID().replaceAll("-", ""),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "eu-west-1",
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { pk: { S: image?.pk?.S ?? "" }, sk: { S: image?.sk?.S ?? "" } },
      NewImage: image,
      SequenceNumber: String(sequence++).padStart(21, "0"),
      SizeBytes: 512,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN:
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-iam-prod-TableTable/stream/2025-01-01T00:00:00.000",
  };
};
const eventRecord = (event: Events.Event) =>
  streamRecord("INSERT", db().entities.event.put(Events.toItem(event)).params().Item);
const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const publish = createPublisher(() => BUS);
const seq = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? "";

describe("production: the stream publisher (DynamoDB stream → EventBridge)", () => {
  it("puts each inserted event on the bus, detail-type = its type, source = the app, and nothing else", async () => {
    const userId = randomUUID();
    const events = (["user.registered", "user.activated", "session.login_succeeded"] as const).map((t) =>
      eventOf(userId, t),
    );
    const user = db().entities.user.put({ id: userId, name: "n", handle: "@N", email: "n@example.com" }).params().Item;
    const records = [
      eventRecord(events[0] as Events.Event),
      streamRecord("INSERT", user),
      eventRecord(events[1] as Events.Event),
      streamRecord("MODIFY", Events.toItem(events[2] as Events.Event)),
      eventRecord(events[2] as Events.Event),
    ];
    const response = await publish(streamEvent(...records));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.calls).toHaveLength(1);
    expect(bus.entries).toEqual(
      events.map((e) => ({
        EventBusName: BUS,
        Source: "user-iam",
        DetailType: e.type,
        Detail: JSON.stringify(e),
        Time: Date.parse(e.at) / 1000,
      })),
    );
  });

  it("sends at most 10 entries per PutEvents", async () => {
    const userId = randomUUID();
    const records = Array.from({ length: 23 }, () => eventRecord(eventOf(userId, "session.login_succeeded")));
    expect(await publish(streamEvent(...records))).toEqual({ batchItemFailures: [] });
    expect(bus.calls.map((c) => c.length)).toEqual([10, 10, 3]);
  });

  it("retries only the entries EventBridge failed for the moment: nothing is put twice", async () => {
    const userId = randomUUID();
    const events = Array.from({ length: 4 }, () => eventOf(userId, "session.ended"));
    const flaky = events[1]?.id;
    let refused = 0;
    bus.answer(
      (entry: PutEntry): EntryAnswer =>
        JSON.parse(entry.Detail ?? "{}").id === flaky && refused++ < 2 ? { errorCode: "ThrottlingException" } : "ok",
    );
    expect(await publish(streamEvent(...events.map(eventRecord)))).toEqual({ batchItemFailures: [] });
    expect(bus.calls.map((c) => c.length)).toEqual([4, 1, 1]);
    // The second and third calls carried the refused entry alone.
    for (const call of bus.calls.slice(1)) expect(call.map((e) => JSON.parse(e.Detail ?? "{}").id)).toEqual([flaky]);
  });

  it("reports the first record it could not publish, so Lambda retries from there (partial batch response)", async () => {
    const userId = randomUUID();
    const events = Array.from({ length: 5 }, () => eventOf(userId, "session.ended"));
    const records = events.map(eventRecord);
    const failing = new Set([events[2]?.id, events[3]?.id]);
    bus.answer((entry) => (failing.has(JSON.parse(entry.Detail ?? "{}").id) ? { errorCode: "InternalFailure" } : "ok"));
    const response = await publish(streamEvent(...records));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[2] as DynamoDBRecord) }] });
  });

  it("passes over a record that can never be published (unreadable, or refused for good), so it cannot block the shard", async () => {
    const userId = randomUUID();
    const [good, refused] = [eventOf(userId, "user.activated"), eventOf(userId, "user.deleted")];
    const unreadable = streamRecord("INSERT", {
      ...db().entities.event.put(Events.toItem(good)).params().Item,
      payload: "{not json",
    });
    bus.answer((entry) =>
      JSON.parse(entry.Detail ?? "{}").id === refused.id ? { errorCode: "MalformedDetail" } : "ok",
    );
    const response = await publish(streamEvent(unreadable, eventRecord(refused), eventRecord(good)));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.entries.map((e) => JSON.parse(e.Detail ?? "{}").id)).toEqual([refused.id, good.id]);
  });
});

// --- the webhook sender -------------------------------------------------------------------------

// The SDK sends to the queue URL's host: the fake's (a real one is https://sqs.<region>.amazonaws.com/<account>/<name>).
const QUEUE_URL = `${process.env.AWS_ENDPOINT_URL_SQS}123456789012/user-iam-prod-WebhookQueue`;
process.env.SST_RESOURCE_WebhookQueue = JSON.stringify({ url: QUEUE_URL, type: "sst.aws.Queue" });
const secret = Events.newSecret();
const sqsRecord = (body: unknown): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: randomUUID(),
  body: JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: String(Date.now()),
    SenderId: "AIDAEXAMPLE",
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:user-iam-prod-WebhookQueue",
  awsRegion: "eu-west-1",
});
/** An event as the bus rule puts it on the queue. */
const envelope = (event: Events.Event) => ({
  version: "0",
  id: randomUUID(),
  "detail-type": event.type,
  source: "user-iam",
  account: "123456789012",
  time: event.at,
  region: "eu-west-1",
  resources: [],
  detail: event,
});
const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe("production: the webhook sender (bus → SQS → receivers)", () => {
  let ok: Receiver;
  let failing: Receiver;
  beforeAll(async () => {
    [ok, failing] = await Promise.all([startReceiver(), startReceiver()]);
    failing.answer(() => 500);
  });
  afterAll(async () => {
    await ok.close();
    await failing.close();
  });
  const sender = (urls: string[], schedule = [5, 30]) =>
    createWebhookSender(() => ({ urls, secret, schedule, timeoutSeconds: 2, queueUrl: QUEUE_URL }));

  it("sends an event to every receiver, signed; a failed one alone goes back on the queue, delayed by the schedule", async () => {
    const event = eventOf(randomUUID(), "user.registered");
    const response = await sender([ok.url, failing.url])(sqsEvent(sqsRecord(envelope(event))));
    expect(response).toEqual({ batchItemFailures: [] });
    const delivered = ok.received.filter((r) => r.headers["webhook-id"] === event.id);
    expect(delivered).toHaveLength(1);
    expect(new Webhook(secret).verify(delivered[0]?.body ?? "", delivered[0]?.headers ?? {})).toEqual(event);
    expect(queue.sent).toHaveLength(1);
    const [retry] = queue.sent;
    expect(retry).toMatchObject({ QueueUrl: QUEUE_URL, DelaySeconds: 5 });
    expect(JSON.parse(retry?.MessageBody ?? "{}")).toMatchObject({
      kind: "webhook-retry",
      delivery: { url: failing.url, attempt: 2, event },
    });
  });

  it("a retry that succeeds carries the same webhook-id; one that fails is queued again with the next delay", async () => {
    const event = eventOf(randomUUID(), "user.activated");
    const firstAttemptAt = new Date().toISOString();
    const due = (url: string, attempt: number) => ({
      kind: "webhook-retry",
      dueAt: Date.now(),
      delivery: { event, url, attempt, firstAttemptAt },
    });
    expect(
      await sender([ok.url, failing.url])(sqsEvent(sqsRecord(due(ok.url, 2)), sqsRecord(due(failing.url, 2)))),
    ).toEqual({ batchItemFailures: [] });
    expect(ok.received.filter((r) => r.headers["webhook-id"] === event.id)).toHaveLength(1);
    expect(queue.sent.map((m) => [m.DelaySeconds, JSON.parse(m.MessageBody).delivery.attempt])).toEqual([[30, 3]]);
  });

  it("a delivery out of retries becomes a dead letter that can be listed, and is not queued again", async () => {
    const event = eventOf(randomUUID(), "user.badge_issued");
    const message = {
      kind: "webhook-retry",
      dueAt: Date.now(),
      delivery: { event, url: `${failing.url}?token=s3cret`, attempt: 3, firstAttemptAt: new Date().toISOString() },
    };
    expect(await sender([failing.url])(sqsEvent(sqsRecord(message)))).toEqual({ batchItemFailures: [] });
    expect(queue.sent).toEqual([]);
    const { deadLetters } = await Events.DeadLetters.list({ limit: 100 });
    const dead = deadLetters.filter((d) => d.event.id === event.id);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ url: failing.url, attempts: 3, lastFailure: "HTTP 500", event });
  });

  it("passes a retry not yet due back to the queue (SQS delays at most 15 minutes), without sending it", async () => {
    const event = eventOf(randomUUID(), "session.ended");
    const message = {
      kind: "webhook-retry",
      dueAt: Date.now() + 3600_000,
      delivery: { event, url: ok.url, attempt: 5, firstAttemptAt: new Date().toISOString() },
    };
    expect(await sender([ok.url])(sqsEvent(sqsRecord(message)))).toEqual({ batchItemFailures: [] });
    expect(ok.received.some((r) => r.headers["webhook-id"] === event.id)).toBe(false);
    expect(queue.sent.map((m) => m.DelaySeconds)).toEqual([900]);
    expect(JSON.parse(queue.sent[0]?.MessageBody ?? "{}")).toEqual(message);
  });

  it("leaves a message on the queue (partial batch failure) when it cannot do its part: unreadable, or the queue refuses the retry", async () => {
    const event = eventOf(randomUUID(), "session.ended");
    queue.state.failing = true;
    const garbage = { ...sqsRecord({}), body: "not json" };
    const needsRetry = sqsRecord(envelope(event));
    const another = sqsRecord(envelope(eventOf(randomUUID(), "session.ended")));
    const response = await sender([failing.url])(sqsEvent(garbage, needsRetry, another));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [garbage.messageId, needsRetry.messageId, another.messageId].sort(),
    );
    queue.state.failing = false;
    expect(await sender([ok.url])(sqsEvent(another))).toEqual({ batchItemFailures: [] });
  });
});

// --- the purger (the bus's user.deleted subscriber) --------------------------------------------

describe("production: the purger (EventBridge user.deleted → the user's events purged)", () => {
  /** The EventBridge event the bus hands its subscriber for an entry the publisher put. */
  const busEvent = (entry: PutEntry): EventBridgeEvent<string, unknown> => ({
    version: "0",
    id: randomUUID(),
    "detail-type": entry.DetailType ?? "",
    source: entry.Source ?? "",
    account: "123456789012",
    time: new Date((entry.Time ?? Date.now() / 1000) * 1000).toISOString(),
    region: "eu-west-1",
    resources: [],
    detail: JSON.parse(entry.Detail ?? "null"),
  });
  /** A deleted user's events as the table holds them (not purged yet), and the entries the publisher put for them. */
  const deletedUser = async () => {
    const { user } = await registered();
    await User.remove(user.id);
    const events = await allEventsOf({ userId: user.id });
    bus.calls.length = 0;
    expect(await publish(streamEvent(...events.map(eventRecord)))).toEqual({ batchItemFailures: [] });
    const entries = bus.calls.flat();
    return { userId: user.id, events, entryOf: (type: string) => entries.find((e) => e.DetailType === type) };
  };

  it("purges all but user.deleted when handed the bus's user.deleted; an event of another type is ignored", async () => {
    const { userId, events, entryOf } = await deletedUser();
    expect(events.map((e) => e.type)).toEqual(["user.registered", "user.deleted"]);
    const registeredEntry = entryOf("user.registered");
    const deletedEntry = entryOf("user.deleted");
    if (!registeredEntry || !deletedEntry) throw new Error("the publisher put no entry for the user's events");
    // Another type about the same deleted user: nothing is purged.
    await purge(busEvent(registeredEntry));
    expect((await allEventsOf({ userId })).map((e) => e.type)).toEqual(["user.registered", "user.deleted"]);
    await purge(busEvent(deletedEntry));
    expect((await allEventsOf({ userId })).map((e) => e.type)).toEqual(["user.deleted"]);
  });
});
