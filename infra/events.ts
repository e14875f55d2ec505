import { EVENT_SOURCE } from "../packages/core/src/events/catalogue.ts";
import { eventPublisherPermissions, eventPurgerPermissions, webhookSenderPermissions } from "./permissions.ts";
import { webhookSenderEnvironment } from "./settings.ts";
import { table } from "./storage.ts";

/**
 * Event delivery (docs/EVENTS.md). Events are committed into the table with the change they record;
 * from there:
 *
 *   table stream ──(INSERTs of event items)──► EventPublisher ──PutEvents──► EventBus
 *   EventBus ──rule: source = the app──► WebhookQueue ──► WebhookSender ──► receivers (IamWebhookUrls)
 *   EventBus ──rule: detail-type = user.deleted──► EventPurger (the user's other events, after the DELETE)
 *                                            ▲      │ retries: delayed messages │ dead letters: the table
 *                                            └──────┘                           │ (and WebhookDeadLetterQueue for
 *                                                                               │  messages it could not handle)
 *
 * Two functions, two roles. The publisher may read the stream (granted by SST's `subscribe`) and put
 * events on this bus, nothing else; it knows nothing of webhooks, so a failing receiver never holds
 * up the stream. The sender may take messages off its queue (granted by SST's `subscribe`), put
 * retries back on it and write dead letters (PutItem) into the table, nothing else.
 *
 * Links give names only: SST's own link of a bus or a queue would also grant `events:*` or `sqs:*`
 * on it, so — as infra/storage.ts does for the table and the bucket — `wrap` replaces it, before
 * either is created, with the properties the code reads. What each function may do is its
 * `permissions` (infra/permissions.ts), nothing more. A secret's link grants nothing.
 */
sst.Linkable.wrap(sst.aws.Bus, (bus) => ({ properties: { name: bus.name, arn: bus.arn } }));
sst.Linkable.wrap(sst.aws.Queue, (queue) => ({ properties: { url: queue.url } }));

/** The receivers: comma-separated http(s) URLs; none (the placeholder) until set for the stage. */
export const iamWebhookUrls = new sst.Secret("IamWebhookUrls", "");
/** The `whsec_…` signing secret the receivers verify with. No placeholder: a stage must set its own. */
export const iamWebhookSecret = new sst.Secret("IamWebhookSecret");

export const eventBus = new sst.aws.Bus("EventBus");

/** Function settings both share (the code's tunables: infra/settings.ts). */
const node = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  nodejs: { minify: true, sourcemap: true },
} as const;

/**
 * Stream → bus. Only INSERTs of event items reach it (the filter: ElectroDB's entity marker),
 * ten at a time; partial-batch responses let it report the first record it could not publish, so
 * Lambda retries from there and never re-sends what was put before it. From the stream's oldest
 * record when the mapping is (re)created: a duplicate beats a lost event.
 */
export const eventPublisher = table.subscribe(
  "EventPublisher",
  {
    ...node,
    handler: "packages/functions/src/events/publisher.handler",
    memory: "256 MB",
    timeout: "30 seconds",
    environment: { NODE_ENV: "production", LOG_LEVEL: "info" },
    link: [eventBus],
    permissions: eventPublisherPermissions(eventBus),
  },
  {
    filters: [{ eventName: ["INSERT"], dynamodb: { NewImage: { __edb_e__: { S: ["event"] } } } }],
    transform: {
      eventSourceMapping: {
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
        bisectBatchOnFunctionError: true,
        startingPosition: "TRIM_HORIZON",
      },
    },
  },
);

/** Messages the sender could not handle at all (unreadable, or it kept failing), after 5 receives; kept 14 days. */
export const webhookDeadLetterQueue = new sst.aws.Queue("WebhookDeadLetterQueue", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

/**
 * The sender's queue: events from the bus, and the sender's own delayed retries. The visibility
 * timeout is six times the function's, as AWS advises for a Lambda-fed queue.
 */
export const webhookQueue = new sst.aws.Queue("WebhookQueue", {
  visibilityTimeout: "3 minutes",
  dlq: { queue: webhookDeadLetterQueue.arn, retry: 5 },
});

export const webhookRule = eventBus.subscribeQueue("Webhooks", webhookQueue, { pattern: { source: [EVENT_SOURCE] } });

export const webhookSender = webhookQueue.subscribe(
  {
    ...node,
    handler: "packages/functions/src/events/webhook-sender.handler",
    memory: "256 MB",
    // Deliveries run in parallel, each at most IAM_WEBHOOK_TIMEOUT_SECONDS (10 s).
    timeout: "30 seconds",
    link: [table, webhookQueue, iamWebhookUrls, iamWebhookSecret],
    environment: webhookSenderEnvironment(),
    permissions: webhookSenderPermissions(webhookQueue),
  },
  { batch: { size: 10, partialResponses: true } },
);

/**
 * The purge of a deleted user's events, downstream of the deletion (a Lambda cannot keep working
 * after its answer): `user.deleted` on the bus → this function, which removes every other event of
 * the user in batches. Its role: Query on the table's key and BatchWriteItem, nothing else
 * (infra/permissions.ts). EventBridge retries a failed invocation; the purge is idempotent.
 */
export const eventPurger = eventBus.subscribe(
  "EventPurger",
  {
    ...node,
    handler: "packages/functions/src/events/purger.handler",
    memory: "256 MB",
    timeout: "60 seconds",
    environment: { NODE_ENV: "production", LOG_LEVEL: "info" },
    link: [table],
    permissions: eventPurgerPermissions,
  },
  { pattern: { source: [EVENT_SOURCE], detailType: ["user.deleted"] } },
);
