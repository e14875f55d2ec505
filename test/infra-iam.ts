/**
 * From AWS SDK commands to IAM permissions, and from infra's declarations to the same form, so the
 * IAM audit (test/infra-permissions.test.ts) can compare the two for equality.
 *
 * A permission is one line: `<action> <resource>` plus ` if <operator> <key> <value>` for a
 * condition, resources written as the infra stand-ins render them (`{Table.arn}`,
 * `{Table.arn}/index/gsi1`, `{Assets.arn}/uploads/*`, `{UserPool.arn}`). A statement of several
 * actions, resources or condition values is expanded to one line per combination.
 */
import type { LinkDefinition, PermissionInclude } from "./fixtures/sst-globals.ts";
import type { Sent } from "./infra-recorder.ts";

export type Permission = string;

const arnOf = (component: string | undefined): string => {
  if (component === undefined || component.startsWith("?"))
    throw new Error(`a resource no link names: ${component ?? "(none)"}`);
  return `{${component}.arn}`;
};
const table = (s: Sent) => arnOf(s.table);
const index = (s: Sent) => (s.index === undefined ? table(s) : `${table(s)}/index/${s.index}`);
const pool = (s: Sent) => arnOf(s.userPool);

/**
 * The objects a key stands for in a policy: every key under its first path segment (`uploads/*`).
 * A service role cannot be narrowed per user (its keys carry user ids), so the prefix is the unit.
 */
const prefixOf = (key: string): string => (key.includes("/") ? `${key.slice(0, key.indexOf("/"))}/*` : key);
const objects = (s: Sent, action: string): Permission[] => {
  if (!s.keys?.length) throw new Error(`${s.command} without a key`);
  return s.keys.map((key) => `${action} ${arnOf(s.bucket)}/${prefixOf(key)}`);
};

const item = (action: string) => (s: Sent) => [`dynamodb:${action} ${table(s)}`];
/** The item operations of a transaction or batch, each authorised by its own action on its table. */
const ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
  Get: "dynamodb:GetItem",
};
const itemsOf = (s: Sent, actionOf: (op: string) => string | undefined): Permission[] =>
  (s.items ?? []).map(({ op, table: t }) => {
    const action = actionOf(op);
    if (!action) throw new Error(`${s.command}: no IAM action for an item "${op}"`);
    return `${action} ${arnOf(t)}`;
  });
const admin = (s: Sent) => [`cognito-idp:${s.command} ${pool(s)}`];

/**
 * THE mapping: each command the service may send → the IAM permissions AWS checks for it (the
 * Service Authorization Reference's "actions" tables). A command missing here fails the audit
 * until someone adds its row.
 */
export const IAM: Readonly<Record<string, (sent: Sent) => Permission[]>> = {
  // DynamoDB: one action per item operation; a transaction is authorised item by item (it has no
  // action of its own); a Query or Scan of an index on the index's ARN only.
  "dynamodb:GetItem": item("GetItem"),
  "dynamodb:PutItem": item("PutItem"),
  "dynamodb:UpdateItem": item("UpdateItem"),
  "dynamodb:DeleteItem": item("DeleteItem"),
  "dynamodb:Query": (s) => [`dynamodb:Query ${index(s)}`],
  "dynamodb:Scan": (s) => [`dynamodb:Scan ${index(s)}`],
  "dynamodb:BatchGetItem": (s) => itemsOf(s, () => "dynamodb:BatchGetItem"),
  "dynamodb:BatchWriteItem": (s) => itemsOf(s, () => "dynamodb:BatchWriteItem"),
  "dynamodb:TransactWriteItems": (s) => itemsOf(s, (op) => (op === "Get" ? undefined : ITEM_ACTIONS[op])),
  "dynamodb:TransactGetItems": (s) => itemsOf(s, (op) => (op === "Get" ? ITEM_ACTIONS.Get : undefined)),
  // Cognito user pools: each admin operation is an action of the same name, on the pool.
  "cognito-idp:AdminAddUserToGroup": admin,
  "cognito-idp:AdminCreateUser": admin,
  "cognito-idp:AdminDeleteUser": admin,
  "cognito-idp:AdminDisableUser": admin,
  "cognito-idp:AdminEnableUser": admin,
  "cognito-idp:AdminGetUser": admin,
  "cognito-idp:AdminInitiateAuth": admin,
  "cognito-idp:AdminListGroupsForUser": admin,
  "cognito-idp:AdminRemoveUserFromGroup": admin,
  "cognito-idp:AdminSetUserPassword": admin,
  "cognito-idp:AdminUpdateUserAttributes": admin,
  "cognito-idp:AdminUserGlobalSignOut": admin,
  // Authorised by the user's own token, not by IAM.
  "cognito-idp:InitiateAuth": () => [],
  "cognito-idp:GetUser": () => [],
  "cognito-idp:RevokeToken": () => [],
  // S3 objects: reads (GetObject, HeadObject) are s3:GetObject; a presigned POST is a PutObject
  // made later by whoever holds the form, authorised as the role that signed it; a multi-object
  // delete is s3:DeleteObject on each key; a copy reads its source and writes its target.
  "s3:GetObject": (s) => objects(s, "s3:GetObject"),
  "s3:HeadObject": (s) => objects(s, "s3:GetObject"),
  "s3:PutObject": (s) => objects(s, "s3:PutObject"),
  "s3:PresignedPost": (s) => objects(s, "s3:PutObject"),
  "s3:DeleteObject": (s) => objects(s, "s3:DeleteObject"),
  "s3:DeleteObjects": (s) => objects(s, "s3:DeleteObject"),
  "s3:CopyObject": (s) => {
    const [bucket = "", ...key] = (s.copySource ?? "").split("/");
    return [`s3:GetObject ${arnOf(bucket)}/${prefixOf(key.join("/"))}`, ...objects(s, "s3:PutObject")];
  },
  // S3 listing: s3:ListBucket on the bucket, limited to the listed prefix by `s3:prefix`. A
  // request without a prefix (HeadBucket, a whole-bucket listing) needs it without the condition.
  "s3:ListObjectsV2": (s) => [
    `s3:ListBucket ${arnOf(s.bucket)}${s.prefix ? ` if StringLike s3:prefix ${prefixOf(s.prefix)}` : ""}`,
  ],
  "s3:HeadBucket": (s) => [`s3:ListBucket ${arnOf(s.bucket)}`],
  // Event delivery: putting events on a bus, and a message on a queue.
  "events:PutEvents": (s) => [`events:PutEvents ${arnOf(s.bus)}`],
  "sqs:SendMessage": (s) => [`sqs:SendMessage ${arnOf(s.queue)}`],
};

/** The permissions one recorded command needs. */
export const permissionsFor = (sent: Sent): Permission[] => {
  const map = IAM[`${sent.service}:${sent.command}`];
  if (!map)
    throw new Error(
      `no IAM mapping for ${sent.service}:${sent.command} (sent from ${sent.from}): add its row to IAM in test/infra-iam.ts`,
    );
  return map(sent);
};

/** A permission statement as SST's `permissions` (and a link's `aws.permission` include) take it. */
export type Statement = Omit<PermissionInclude, "type">;

type Condition = { test: string; variable: string; values: string[] };

/** One line per action × resource × condition value. Only `allow`, and at most one condition per statement (all this audit reads). */
export const expand = (statements: readonly Statement[]): Permission[] =>
  statements.flatMap((st) => {
    if ((st.effect ?? "allow") !== "allow") throw new Error(`a "${st.effect}" statement: the audit reads only allow`);
    const conditions = (st.conditions ?? []) as Condition[];
    if (conditions.length > 1) throw new Error("a statement with several conditions: the audit reads at most one");
    const suffixes =
      conditions.length === 0
        ? [""]
        : conditions.flatMap((c) => c.values.map((v) => ` if ${c.test} ${c.variable} ${v}`));
    return st.actions.flatMap((action) =>
      st.resources.flatMap((resource) => suffixes.map((suffix) => `${action} ${String(resource)}${suffix}`)),
    );
  });

/**
 * What a function's role is granted, as SST builds it (platform/src/components/aws/function.ts):
 * its `permissions`, plus the `aws.permission` includes of every component it links.
 */
export const grantedTo = (fn: {
  permissions?: Statement[];
  link?: { getSSTLink(): LinkDefinition }[];
}): Permission[] => {
  const included = (fn.link ?? []).flatMap((l) =>
    (l.getSSTLink().include ?? []).filter((i) => i.type === "aws.permission"),
  ) as PermissionInclude[];
  return expand([...(fn.permissions ?? []), ...included]);
};

export const unique = (list: readonly Permission[]): Permission[] => [...new Set(list)].sort();
