import { AVATARS_PREFIX, LEGACY_USERS_PREFIX, UPLOADS_PREFIX } from "../packages/core/src/assets/prefixes.ts";
import { userPool } from "./auth.ts";
import { assets, table } from "./storage.ts";

/**
 * What each function may do on AWS: exactly the calls its code makes, on exactly the resources
 * they name — the table and the indexes it queries, the bucket's objects under the prefixes it
 * touches, the user pool. Links give the code names only (infra/storage.ts: SST's own link of a
 * table or bucket would add `dynamodb:*` or `s3:*` on all of it), so these lists are the whole
 * of each role, besides the CloudWatch Logs policy SST attaches to every function.
 *
 * test/infra-permissions.test.ts derives each list from the AWS SDK commands the integration run
 * sent, per function, and requires equality: a call the code starts making, or stops making,
 * fails it until this file says the same. docs/DEPLOY.md lists them.
 */
type Statement = sst.aws.FunctionPermissionArgs;

/** Item actions on the table itself (a transaction is authorised item by item: Put/Update/Delete/ConditionCheck). */
const tableItems = (...actions: string[]): Statement => ({
  actions: actions.map((a) => `dynamodb:${a}`),
  resources: [table.arn],
});
/** Query on these global indexes only, never on the table's primary key or other indexes. */
const queryIndexes = (...indexes: string[]): Statement => ({
  actions: ["dynamodb:Query"],
  resources: indexes.map((index) => $interpolate`${table.arn}/index/${index}`),
});
/** Object actions on the keys under these prefixes. */
const objects = (actions: string[], prefixes: string[]): Statement => ({
  actions: actions.map((a) => `s3:${a}`),
  resources: prefixes.map((prefix) => $interpolate`${assets.arn}/${prefix}*`),
});
/** Listing the bucket, only under these prefixes (`s3:prefix`): a listing without one is refused. */
const listUnder = (...prefixes: string[]): Statement => ({
  actions: ["s3:ListBucket"],
  resources: [assets.arn],
  conditions: [{ test: "StringLike", variable: "s3:prefix", values: prefixes.map((prefix) => `${prefix}*`) }],
});
/** Cognito admin actions on this pool. */
const pool = (...actions: string[]): Statement => ({
  actions: actions.map((a) => `cognito-idp:${a}`),
  resources: [userPool.arn],
});

/** Where a user's files are: pending uploads, published avatars, and the layout before those two. */
const USER_FILES = [UPLOADS_PREFIX, AVATARS_PREFIX, LEGACY_USERS_PREFIX];

/** The HTTP app (`Api`). */
export const apiPermissions: Statement[] = [
  tableItems("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
  // gsi1: API keys by owner, the directory by status, intents and tombstones by age, a subject's
  // events of one type; gsi2: the directory by role, a user's security log.
  queryIndexes("gsi1", "gsi2"),
  // The table's own key: a subject's events, the webhook dead letters.
  { actions: ["dynamodb:Query"], resources: [table.arn] },
  // Avatars: the presigned upload form (signed by this role) writes under uploads/; confirm reads
  // the upload, publishes a copy under avatars/ and deletes the upload and the previous avatar.
  objects(["GetObject"], [UPLOADS_PREFIX]),
  objects(["PutObject"], [UPLOADS_PREFIX, AVATARS_PREFIX]),
  // A hard delete empties every prefix of the user's files (a listing per prefix, then DeleteObjects).
  objects(["DeleteObject"], USER_FILES),
  listUnder(...USER_FILES),
  pool(
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminInitiateAuth",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminListGroupsForUser",
  ),
];

/**
 * The scheduled reconciler (`Reconciler`): finds intents and tombstones by age (gsi1), settles
 * registrations (the Cognito user of one that never committed is deleted), role changes (groups
 * made to match the stored role, sessions ended) and deletions (the user's files, Cognito user and
 * tombstone removed), and purges the events of deleted users whose purge was never done (a Query of
 * the user's partition on the table's own key, batch deletes). It creates no user; the one item it
 * puts is the event of a session it ends (`session.ended`, committed with the revocation time when a
 * role change is converged).
 */
export const reconcilerPermissions: Statement[] = [
  tableItems("GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"),
  queryIndexes("gsi1"),
  { actions: ["dynamodb:Query"], resources: [table.arn] },
  objects(["DeleteObject"], USER_FILES),
  listUnder(...USER_FILES),
  pool(
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminListGroupsForUser",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminUserGlobalSignOut",
  ),
];

/**
 * The stream publisher (`TableSubscriberEventPublisher`, infra/events.ts): puts events on the bus.
 * SST's `subscribe` adds the stream's read actions (DescribeStream, GetRecords, GetShardIterator,
 * ListStreams on the stream ARN) to its role itself.
 */
export const eventPublisherPermissions = (bus: { arn: $SST.Output<string> }): Statement[] => [
  { actions: ["events:PutEvents"], resources: [bus.arn] },
];

/**
 * The purge of a deleted user's events (`EventBusSubscriberEventPurger`, infra/events.ts): a Query
 * of the user's partition on the table's own key, and batch deletes of what it found. Nothing
 * else: no GetItem, no PutItem, no index, no other service.
 */
export const eventPurgerPermissions: Statement[] = [
  { actions: ["dynamodb:Query"], resources: [table.arn] },
  tableItems("BatchWriteItem"),
];

/**
 * The webhook sender (`WebhookQueueSubscriber`, infra/events.ts): writes dead letters and puts
 * retries back on its queue. SST's `subscribe` adds the queue's receive, delete and visibility actions.
 */
export const webhookSenderPermissions = (queue: { arn: $SST.Output<string> }): Statement[] => [
  tableItems("PutItem"),
  { actions: ["sqs:SendMessage"], resources: [queue.arn] },
];
