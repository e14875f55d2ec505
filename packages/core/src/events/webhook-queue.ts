import { z } from "zod";
import { sendMessage } from "../adapters/sqs.ts";
import { Event } from "./event.ts";
import { attempt, type Delivery, type Outcome, type WebhookSettings } from "./webhooks.ts";

/**
 * Production delivery, second leg: the webhook sender, fed by an SQS queue that a rule of the bus
 * fills (infra/events.ts). A message is either an event as EventBridge delivers it (one delivery per
 * configured URL) or one retry of one delivery, which this code put on the queue with a delay. So
 * each receiver has its own retries: a failing one is retried alone, never holding up the others,
 * the stream or the next events.
 *
 * SQS delays a message by at most 15 minutes; a longer wait of the schedule is covered by passing
 * the message on again (`dueAt` says when it is really due).
 */
export const MAX_DELAY_SECONDS = 900;
/** A retry is attempted when at most this early, rather than waiting another round. */
const EARLY_MS = 1_000;

const Envelope = z.object({ "detail-type": z.string(), source: z.string(), detail: Event });
const Retry = z.object({
  kind: z.literal("webhook-retry"),
  dueAt: z.number(),
  delivery: z.object({
    event: Event,
    url: z.string(),
    attempt: z.number().int().positive(),
    firstAttemptAt: z.string(),
  }),
});
type Retry = z.infer<typeof Retry>;

export type QueueSettings = WebhookSettings & { urls: readonly string[]; queueUrl: string };
export type QueueMessage = { messageId: string; body: string };
export type QueueReport = {
  /** Messages to leave on the queue (SQS redelivers them; after its `maxReceiveCount` they go to the queue's DLQ). */
  failedMessageIds: string[];
  outcomes: {
    eventId: string;
    url: string;
    attempt: number;
    outcome: Outcome["result"] | "waiting";
    failure?: string;
  }[];
};

const enqueue = async (retry: Retry, queueUrl: string, now: number) => {
  const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((retry.dueAt - now) / 1000)));
  await sendMessage(queueUrl, JSON.stringify(retry), delay);
};

/** The deliveries a message asks for, or null when it is neither an event nor a retry (left for the DLQ). */
const deliveriesOf = (
  body: string,
  settings: QueueSettings,
  now: number,
): { deliveries: Delivery[]; dueAt?: number } | null => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const envelope = Envelope.safeParse(json);
  if (envelope.success) {
    const firstAttemptAt = new Date(now).toISOString();
    return {
      deliveries: settings.urls.map((url) => ({ event: envelope.data.detail, url, attempt: 1, firstAttemptAt })),
    };
  }
  const retry = Retry.safeParse(json);
  return retry.success ? { deliveries: [retry.data.delivery], dueAt: retry.data.dueAt } : null;
};

/**
 * Handles one batch of queue messages: each delivery is attempted (events/webhooks.ts); a failure
 * goes back on the queue as its own retry message, delayed by the schedule; a delivery out of
 * retries has become a dead letter in the table. A message is reported failed only when this
 * could not do its part (unreadable, or the queue or the table refused a write): SQS then
 * redelivers it, and an event message redelivered means its deliveries are attempted again —
 * at least once, and receivers drop repeats by `webhook-id`.
 */
export const handleMessages = async (
  messages: readonly QueueMessage[],
  settings: QueueSettings,
  now = () => Date.now(),
): Promise<QueueReport> => {
  const report: QueueReport = { failedMessageIds: [], outcomes: [] };
  await Promise.all(
    messages.map(async (message) => {
      const asked = deliveriesOf(message.body, settings, now());
      if (!asked) {
        report.failedMessageIds.push(message.messageId);
        return;
      }
      try {
        await Promise.all(
          asked.deliveries.map(async (delivery) => {
            const line = { eventId: delivery.event.id, url: delivery.url, attempt: delivery.attempt };
            if (asked.dueAt !== undefined && asked.dueAt - now() > EARLY_MS) {
              await enqueue({ kind: "webhook-retry", dueAt: asked.dueAt, delivery }, settings.queueUrl, now());
              report.outcomes.push({ ...line, outcome: "waiting" });
              return;
            }
            const outcome = await attempt(delivery, settings, now);
            if (outcome.result === "retry")
              await enqueue(
                { kind: "webhook-retry", dueAt: outcome.dueAt, delivery: outcome.next },
                settings.queueUrl,
                now(),
              );
            report.outcomes.push({
              ...line,
              outcome: outcome.result,
              ...(outcome.result === "delivered" ? {} : { failure: outcome.failure }),
            });
          }),
        );
      } catch {
        report.failedMessageIds.push(message.messageId);
      }
    }),
  );
  return report;
};
