import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { Config, Events } from "@iam/core";
import { log } from "../log.ts";

/**
 * The table's stream subscriber (infra/events.ts): puts each committed event on the EventBridge bus,
 * and nothing else — its role may read the stream and put to that bus, no more. Partial-batch
 * responses: Lambda checkpoints before the first record not published and retries from it; a
 * record that can never be published is logged and passed over, so it cannot block the shard.
 */
export const createPublisher =
  (busName: () => string) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const result = await Events.publish(event.Records, busName());
    for (const skipped of result.skipped)
      log.error({ event: "events.publish.skipped", ...skipped }, "event record skipped");
    if (result.failedFrom)
      log.warn({ event: "events.publish.retry", failedFrom: result.failedFrom }, "events left for the next invocation");
    return { batchItemFailures: result.failedFrom ? [{ itemIdentifier: result.failedFrom }] : [] };
  };

export const handler = createPublisher(() => Config.eventBusName);
