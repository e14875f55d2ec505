import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { clientOptions, once } from "./aws.ts";

/** The stream publisher's client. */
export const eventBridge = once(() => new EventBridgeClient(clientOptions()));

/** One event for the bus, as PutEvents takes it. */
export type BusEntry = { busName: string; source: string; detailType: string; detail: string; time: Date };

/**
 * What the bus said about one entry: put; or refused, for good (`permanent`: retrying cannot
 * fix it) or for now. EventBridge's per-entry error codes are known here and nowhere else.
 */
export type PutAnswer = { ok: true } | { ok: false; permanent: boolean; reason: string };

/** Per-entry errors that retrying cannot fix. */
const PERMANENT = new Set(["MalformedDetail", "InvalidArgument", "ValidationException"]);

/**
 * One PutEvents of at most `MAX_ENTRIES` entries: an answer per entry, in order. A call that fails
 * as a whole (after the SDK's own retries) throws.
 */
export const putEvents = async (entries: readonly BusEntry[]): Promise<PutAnswer[]> => {
  const { Entries: answers = [] } = await eventBridge().send(
    new PutEventsCommand({
      Entries: entries.map((e) => ({
        EventBusName: e.busName,
        Source: e.source,
        DetailType: e.detailType,
        Detail: e.detail,
        Time: e.time,
      })),
    }),
  );
  return entries.map((_, i) => {
    const code = answers[i]?.ErrorCode;
    if (!code) return { ok: true };
    return { ok: false, permanent: PERMANENT.has(code), reason: `${code}: ${answers[i]?.ErrorMessage ?? ""}` };
  });
};
