import { MAX_ENTRIES, putEvents, type BusEntry, type PutAnswer } from "../adapters/eventbridge.ts";
import { EVENT_SOURCE } from "./catalogue.ts";
import { fromPayload } from "./store.ts";

/**
 * Production delivery, first leg: the table's stream → the EventBridge bus. The stream function
 * (packages/functions/src/events/publisher.ts) does only this; webhooks go out from a separate
 * subscriber of the bus, so a failing receiver never holds up the stream.
 */

/** What this needs of a DynamoDB stream record (the Lambda event's shape, and the Streams API's). */
export type StreamRecord = {
  eventName?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, { S?: string }> };
};

export { MAX_ENTRIES };
const RETRIES = 3;

/** The event a stream record inserted, if it is an event item; undefined for any other record. */
export const eventPayloadOf = (record: StreamRecord): string | undefined => {
  const image = record.dynamodb?.NewImage;
  return record.eventName === "INSERT" && image?.__edb_e__?.S === "event" ? image.payload?.S : undefined;
};

export type PublishResult = {
  published: number;
  /** Records skipped as bad: unreadable, or refused by EventBridge for good. */
  skipped: { sequenceNumber: string; reason: string }[];
  /** The first record not published (retry from there), if any. */
  failedFrom?: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Puts the events of a batch of stream records on the bus, `detail-type` = the event type,
 * `source` = the app. Transient failures of some entries are retried here (only those entries, so
 * nothing already put is sent twice); what still fails is reported as `failedFrom`, the first such
 * record in stream order, for the Lambda's partial-batch response (it checkpoints before it and
 * retries from it). A record that cannot be published at all — not an event, unreadable, refused
 * by EventBridge for good — is skipped and reported, so one bad record never blocks the shard.
 */
export const publish = async (records: readonly StreamRecord[], busName: string): Promise<PublishResult> => {
  const result: PublishResult = { published: 0, skipped: [] };
  const pending: { sequenceNumber: string; entry: BusEntry }[] = [];
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? "";
    const payload = eventPayloadOf(record);
    if (payload === undefined) continue;
    try {
      const event = fromPayload(payload);
      pending.push({
        sequenceNumber,
        entry: {
          busName,
          source: EVENT_SOURCE,
          detailType: event.type,
          detail: JSON.stringify(event),
          time: new Date(event.at),
        },
      });
    } catch (e) {
      result.skipped.push({ sequenceNumber, reason: `unreadable event: ${(e as Error).message.slice(0, 200)}` });
    }
  }

  let failed: typeof pending = [];
  for (let start = 0; start < pending.length; start += MAX_ENTRIES) {
    let chunk = pending.slice(start, start + MAX_ENTRIES);
    for (let attempt = 0; chunk.length > 0; attempt++) {
      let answers: PutAnswer[];
      try {
        answers = await putEvents(chunk.map((c) => c.entry));
      } catch {
        // The SDK has retried already: this chunk and everything after it are for the next invocation.
        answers = chunk.map(() => ({ ok: false, permanent: false, reason: "RequestFailed" }));
        attempt = RETRIES;
      }
      const retry: typeof pending = [];
      chunk.forEach((item, i) => {
        const answer: PutAnswer = answers[i] ?? { ok: true };
        if (answer.ok) result.published++;
        // Refused for good: the record is skipped (and logged), never retried forever.
        else if (answer.permanent) result.skipped.push({ sequenceNumber: item.sequenceNumber, reason: answer.reason });
        else retry.push(item);
      });
      if (retry.length === 0) break;
      if (attempt >= RETRIES) {
        failed = [...retry, ...pending.slice(start + MAX_ENTRIES)];
        break;
      }
      chunk = retry;
      await sleep(100 * 2 ** attempt);
    }
    if (failed.length > 0) break;
  }
  const first = failed[0];
  if (first) result.failedFrom = first.sequenceNumber;
  return result;
};
