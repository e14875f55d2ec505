import { EVENT_SOURCE } from "../packages/core/src/events/catalogue.ts";
import { webhookSenderEnvironment } from "./settings.ts";
import { table } from "./storage.ts";

/**
 * Event delivery (docs/EVENTS.md). Events are committed into the table with the change they record;
 * from there:
 *
 *   table stream ──(INSERTs of event items)──► EventPublisher ──PutEvents──► EventBus
 *   EventBus ──rule: source = the app──► WebhookQueue ──► WebhookSender ──► receivers (IamWebhookUrls)
 *                                            ▲      │ retries: delayed messages │ dead letters: the table
 *                                            └──────┘                           │ (and WebhookDeadLetterQueue for
 *                                                                               │  messages it could not handle)
 *
 * Two functions, two roles. The publisher may read the stream (granted by SST's `subscribe`) and put
 * events on this bus, nothing else; it knows nothing of webhooks, so a failing receiver never holds
 * up the stream. The sender may take messages off its queue (granted by SST's `subscribe`), put
 * retries back on it and write dead letters (PutItem) into the table, nothing else.
 *
 * Neither is `link`ed to the table, the bus or the queue: SST's link would also grant `dynamodb:*`,
 * `events:*` and `sqs:*` on them. Each gets the `Resource.<Name>` properties the code reads as the
 * variable SST's Resource reads (`SST_RESOURCE_<Name>`, what a link sets, and what the local stack
 * sets), and its `permissions` say exactly what it may do. Secrets are linked: a secret's link
 * grants nothing.
 */

/** `SST_RESOURCE_<name>`: what `Resource.<name>` reads, without the permissions a link would add. */
const resource = (name: string, type: string, properties: Record<string, unknown>) => ({
  [`SST_RESOURCE_${name}`]: $jsonStringify({ ...properties, type }),
});

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
    environment: {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      ...resource("EventBus", "sst.aws.Bus", { name: eventBus.name, arn: eventBus.arn }),
    },
    permissions: [{ actions: ["events:PutEvents"], resources: [eventBus.arn] }],
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
    link: [iamWebhookUrls, iamWebhookSecret],
    environment: {
      ...webhookSenderEnvironment(),
      ...resource("Table", "sst.aws.Dynamo", { name: table.name }),
      ...resource("WebhookQueue", "sst.aws.Queue", { url: webhookQueue.url }),
    },
    permissions: [
      { actions: ["dynamodb:PutItem"], resources: [table.arn] },
      { actions: ["sqs:SendMessage"], resources: [webhookQueue.arn] },
    ],
  },
  { batch: { size: 10, partialResponses: true } },
);
