/**
 * Events: the audit trail and the lifecycle events of users and keys (docs/EVENTS.md).
 * - the model: the catalogue of types and their `data`, `create` (id, time, checked data);
 * - the store: `put` (the event's write inside the change's transaction), `record` (a follow-up
 *   write, failure events only), `list` (a subject's events, newest first, signed cursor);
 * - delivery: `publish` (stream → EventBridge), webhooks (`attempt`, shared by the SQS sender
 *   and the local stream reader), dead letters.
 */
export {
  CATALOGUE,
  EVENT_TYPES,
  EVENT_SOURCE,
  SECURITY_EVENT_TYPES,
  SESSION_END_REASONS,
  LOGIN_FAILURE_REASONS,
} from "./catalogue.ts";
export type { EventType, EventData } from "./catalogue.ts";
export { Actor, Event, SYSTEM, create, addressHash, subjectKey, subjectOf } from "./event.ts";
export type { Audit, Subject, EventInput } from "./event.ts";
export {
  put,
  record,
  list,
  listSecurity,
  ListOptions,
  SecurityListOptions,
  Page,
  toItem,
  fromPayload,
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
} from "./store.ts";
export { publish, eventPayloadOf, MAX_ENTRIES } from "./publish.ts";
export type { StreamRecord, PublishResult } from "./publish.ts";
export { attempt, post, sign, newSecret, checkSecret } from "./webhooks.ts";
export type { Delivery, Outcome, WebhookSettings } from "./webhooks.ts";
export { handleMessages, MAX_DELAY_SECONDS } from "./webhook-queue.ts";
export type { QueueSettings, QueueMessage, QueueReport } from "./webhook-queue.ts";
export * as DeadLetters from "./dead-letters.ts";
export { purgeUser } from "./purge.ts";
