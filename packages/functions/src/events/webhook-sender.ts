import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { Config, Events } from "@iam/core";
import { log } from "../log.ts";

/**
 * The webhook sender (infra/events.ts): a subscriber of the bus through an SQS queue, with a role of
 * its own (the queue, and PutItem on the table for dead letters). Each message is an event to send
 * to every receiver, or one receiver's retry; see core events/webhook-queue.ts.
 */
export const createWebhookSender =
  (settings: () => Events.QueueSettings) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const report = await Events.handleMessages(event.Records, settings());
    for (const line of report.outcomes) {
      const entry = {
        event: "events.webhook",
        eventId: line.eventId,
        url: Events.DeadLetters.redactUrl(line.url),
        attempt: line.attempt,
        outcome: line.outcome,
        failure: line.failure,
      };
      if (line.outcome === "dead") log.error(entry, "webhook delivery gave up: dead letter");
      else if (line.outcome === "retry") log.warn(entry, "webhook delivery failed: retry scheduled");
      else log.info(entry, "webhook delivery");
    }
    return { batchItemFailures: report.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  };

export const handler = createWebhookSender(() => {
  const { urls, secret, retryQueueUrl } = Config.webhooks;
  return {
    urls,
    secret: Events.checkSecret(secret),
    schedule: Config.webhookRetrySchedule,
    timeoutSeconds: Config.webhookTimeoutSeconds,
    queueUrl: retryQueueUrl,
  };
});
