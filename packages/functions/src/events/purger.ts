import type { EventBridgeEvent } from "aws-lambda";
import { Events } from "@iam/core";
import { log } from "../log.ts";

/**
 * The bus's `user.deleted` subscriber (infra/events.ts, `EventPurger`): removes the deleted user's
 * other events (`Events.purgeUser`), after the DELETE has answered — a Lambda cannot keep working
 * after its response, so the purge runs downstream of the deletion's event. Its role may Query the
 * table and batch-delete its items, nothing else. A failure throws: EventBridge retries the
 * invocation (the purge is idempotent).
 */
export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const deleted = Events.Event.parse(event.detail);
  if (deleted.type !== "user.deleted" || !deleted.userId) return;
  const removed = await Events.purgeUser(deleted.userId);
  log.info({ event: "events.purge", userId: deleted.userId, removed }, "events of a deleted user purged");
};
