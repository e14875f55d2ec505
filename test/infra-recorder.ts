/**
 * Records what the service's AWS SDK clients (packages/core/src/adapters/aws.ts) send during the integration
 * run, so that the IAM audit (test/infra-permissions.test.ts, run after every integration file) can
 * derive each function's permissions from what the code really does and compare them with what
 * infra grants.
 *
 * Hooked into every process that runs service code: the shared test server (vitest's main process,
 * test/global-setup.ts) and each test file's worker (test/setup.ts; files call core and the app
 * in-process). Each process appends what it had not recorded yet to its own file in the run's
 * folder (`sent-<pid>.jsonl`); each test file, as it starts, adds its path to `ran-<pid>.txt` so
 * the audit can tell a whole run from a partial one.
 *
 * What is recorded is the command and the resources it names, read from its input (table, index,
 * the item operations of a transaction, bucket and keys, user pool): not yet an IAM action — the
 * audit's one mapping table (test/infra-iam.ts) does that. A presigned POST sends nothing
 * (it is signed locally); it is recorded from the signer's endpoint resolution, as `PresignedPost`
 * with its bucket and key.
 *
 * Who sent it is read from the call's stack (Node keeps `await`ed callers in it):
 * - the first frame outside node_modules is the sender: under packages/ it is the service; under
 *   test/ it is a test arranging or inspecting data (a Scan, another pool, a disabled user) — not
 *   recorded, since no function sends it;
 * - the function it runs in is the entry point found in the stack (ENTRY_POINTS): the reconciler's
 *   pass or a trigger; anything else the HTTP app reaches runs in the Api function.
 * A command whose sender cannot be told is recorded with `role: "unknown"`, so the audit fails on it
 * rather than guess.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { S3Client } from "@aws-sdk/client-s3";
import type { InitializeMiddleware } from "@smithy/types";

const ROOT = resolve(import.meta.dirname, "..");
const THIS_FILE = relative(ROOT, import.meta.filename);

/**
 * The code each non-Api function runs, by its infra name (infra/*.ts): a command sent while one of
 * these is on the stack belongs to that function. The reconciler's Lambda handler
 * (packages/functions/src/reconciler.ts) calls `Reconciler.reconcile`, defined here; tests call it
 * directly. The audit checks that each handler reaches its entry point.
 */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  Reconciler: "packages/core/src/reconcile/index.ts",
  PreTokenGeneration: "packages/functions/src/triggers/pre-token-generation.ts",
  // Event delivery (infra/events.ts): the stream subscriber and the webhook queue's subscriber.
  TableSubscriberEventPublisher: "packages/core/src/events/publish.ts",
  WebhookQueueSubscriber: "packages/core/src/events/webhook-queue.ts",
  // The purge of a deleted user's events: the bus's `user.deleted` subscriber (the local stream reader under npm start).
  EventBusSubscriberEventPurger: "packages/core/src/events/purge.ts",
};
/** The function everything else runs in: the HTTP app (packages/functions/src/handler.ts). */
export const DEFAULT_ROLE = "Api";

export type Service = "dynamodb" | "cognito-idp" | "s3" | "events" | "sqs";

/** One command as sent: its operation and the resources its input names. */
export type Sent = {
  /** The infra name of the function whose code sent it (`Api`, `Reconciler`, …), or `unknown`. */
  role: string;
  service: Service;
  /** The SDK operation (`Query`, `TransactWriteItems`, `AdminCreateUser`), or `PresignedPost`. */
  command: string;
  /** DynamoDB: the table (its infra name, see LINKED), and the index of a Query or Scan. */
  table?: string;
  index?: string;
  /** DynamoDB transactions and batches: each item's operation (`Put`, `Update`, `Delete`, `ConditionCheck`, `Get`) and table. */
  items?: { op: string; table: string }[];
  /** S3: the bucket (infra name), the object keys, the listed prefix (absent: none), the copy source (`bucket/key`). */
  bucket?: string;
  keys?: string[];
  prefix?: string;
  copySource?: string;
  /** Cognito: the user pool (infra name). */
  userPool?: string;
  /** EventBridge: the bus (infra name). SQS: the queue (infra name). */
  bus?: string;
  queue?: string;
  /** The service code that sent it, `file:line (function)` (diagnostics). */
  from: string;
};

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * The infra component a resource name belongs to, read from this process's linked resources (the
 * `SST_RESOURCE_*` variables the local stack sets, as `sst` does on Lambda): `Table`, `Assets`,
 * `UserPool`. A test may point its worker at a table of its own (test/lifecycle/private-table.ts):
 * it is still the service's `Table`. A name no link carries is kept as `?<name>` for the audit to refuse.
 */
const LINKED: Readonly<
  Record<string, { link: string; name: (resource: Record<string, string>) => string | undefined }>
> = {
  Table: { link: "Table", name: (r) => r.name },
  Assets: { link: "Assets", name: (r) => r.name },
  UserPool: { link: "Auth", name: (r) => r.userPoolId },
  EventBus: { link: "EventBus", name: (r) => r.name },
  WebhookQueue: { link: "WebhookQueue", name: (r) => r.url },
};
const componentOf = (name: string | undefined): string | undefined => {
  if (name === undefined) return undefined;
  for (const [component, { link, name: nameIn }] of Object.entries(LINKED)) {
    const linked = process.env[`SST_RESOURCE_${link}`];
    if (linked && nameIn(JSON.parse(linked) as Record<string, string>) === name) return component;
  }
  return `?${name}`;
};

/** `bucket/key` (URL-encoded) with the bucket's infra name. */
const copySourceOf = (source: string): string => {
  const [bucket = "", ...key] = decodeURIComponent(source).replace(/^\//, "").split("/");
  return `${componentOf(bucket)}/${key.join("/")}`;
};

/** The resources a command's input names (DynamoDB inputs are read before or after the document client's marshalling alike). */
const resourcesOf = (
  service: Service,
  command: string,
  input: Input,
): Omit<Sent, "role" | "service" | "command" | "from"> => {
  if (service === "cognito-idp") return { userPool: componentOf(str(input.UserPoolId)) };
  if (service === "events") {
    const buses = new Set(
      ((input.Entries as { EventBusName?: string }[] | undefined) ?? []).map((e) => e.EventBusName),
    );
    if (buses.size !== 1) return { bus: `?${[...buses].join(",")}` };
    return { bus: componentOf([...buses][0]) };
  }
  if (service === "sqs") return { queue: componentOf(str(input.QueueUrl)) };
  if (service === "s3") {
    const deleted = (input.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? [];
    const keys = [str(input.Key), ...deleted.map((o) => o.Key)].filter((k): k is string => k !== undefined);
    return {
      bucket: componentOf(str(input.Bucket)),
      ...(keys.length > 0 ? { keys } : {}),
      ...(command.startsWith("ListObjects") ? { prefix: str(input.Prefix) ?? "" } : {}),
      ...(typeof input.CopySource === "string" ? { copySource: copySourceOf(input.CopySource) } : {}),
    };
  }
  if (command === "TransactWriteItems" || command === "TransactGetItems") {
    const items = (input.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? [];
    return {
      items: items.flatMap((item) =>
        Object.entries(item).map(([op, body]) => ({ op, table: componentOf(body.TableName) ?? "?" })),
      ),
    };
  }
  if (command === "BatchGetItem" || command === "BatchWriteItem") {
    const tables = (input.RequestItems as Record<string, unknown[] | object> | undefined) ?? {};
    return {
      items: Object.entries(tables).flatMap(([table, requests]) =>
        Array.isArray(requests)
          ? requests.flatMap((r) =>
              Object.keys(r as object).map((op) => ({
                op: op.replace(/Request$/, ""),
                table: componentOf(table) ?? "?",
              })),
            )
          : [{ op: "Get", table: componentOf(table) ?? "?" }],
      ),
    };
  }
  return {
    table: componentOf(str(input.TableName)),
    ...(input.IndexName !== undefined ? { index: str(input.IndexName) } : {}),
  };
};

/**
 * The current stack's call sites, innermost first, async callers included. Read from V8's call
 * sites rather than `error.stack`, which vitest source-maps frame by frame (twenty times slower,
 * on every command of the run).
 */
const callSites = (): NodeJS.CallSite[] => {
  const { stackTraceLimit, prepareStackTrace } = Error;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, callSites);
    return holder.stack as NodeJS.CallSite[]; // formatted on first read: read before restoring
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
};

/**
 * The stack's frames as `file:line (function)`, the file relative to the repository (the line is
 * the transformed module's: near the source line, enough for a diagnostic).
 */
const stackFiles = (): string[] =>
  callSites().flatMap((site) => {
    const file = site.getFileName();
    if (!file) return [];
    const path = file.startsWith("file://") ? fileURLToPath(file) : file;
    return isAbsolute(path)
      ? [`${relative(ROOT, path)}:${site.getLineNumber()} (${site.getFunctionName() ?? "anonymous"})`]
      : [];
  });

/** Who sent the command being recorded: the function it runs in and the service line, or undefined for a test's own call. */
const senderOf = (): { role: string; from: string } | undefined => {
  const files = stackFiles().filter(
    (f) => !f.includes("node_modules/") && !f.startsWith("..") && !f.startsWith(`${THIS_FILE}:`),
  );
  const first = files[0];
  if (first === undefined) return { role: "unknown", from: stackFiles().slice(0, 12).join(" < ") };
  if (first.startsWith("test/")) return undefined;
  if (!first.startsWith("packages/")) return { role: "unknown", from: files.slice(0, 12).join(" < ") };
  const entry = Object.entries(ENTRY_POINTS).find(([, file]) => files.some((f) => f.startsWith(`${file}:`)));
  return { role: entry?.[0] ?? DEFAULT_ROLE, from: first };
};

/**
 * The run's recording folder, named by vitest's main process (where both the integration and the
 * audit project's global setups run), so the audit finds this run's recording and no other.
 */
export const sdkCommandLogDir = (): string => join(tmpdir(), `iam-sdk-commands-${process.pid}`);

export type Recorder = { file: string; seen: Set<string> };

/** Starts (or continues) this process's recording in `dir`. */
export const recorder = (dir: string): Recorder => {
  mkdirSync(dir, { recursive: true });
  return { file: join(dir, `sent-${process.pid}.jsonl`), seen: new Set() };
};

/** Appends the command unless this process recorded the same before. Never throws into the SDK: a failure is recorded for the audit to report. */
const record = (rec: Recorder, service: Service, command: string, input: Input) => {
  let sent: Sent;
  try {
    const sender = senderOf();
    if (!sender) return;
    sent = { role: sender.role, service, command, ...resourcesOf(service, command, input), from: sender.from };
  } catch (e) {
    sent = { role: "unknown", service, command, from: `the recorder failed: ${(e as Error).message}` };
  }
  const line = JSON.stringify(sent);
  if (rec.seen.has(line)) return;
  rec.seen.add(line);
  appendFileSync(rec.file, `${line}\n`);
};

const MIDDLEWARE = "iam-audit-recorder";

/** The recording middleware, typed for whichever client's stack it is added to. */
const recording =
  <I extends object, O extends object>(rec: Recorder, service: Service): InitializeMiddleware<I, O> =>
  (next, context) =>
  async (args) => {
    record(rec, service, String(context.commandName).replace(/Command$/, ""), args.input as Input);
    return next(args);
  };

/** Each client is in the module that makes it (adapters/aws.ts, adapters/*-sdk.ts): any of them, as each loads. */
type Clients = {
  dynamo?: DynamoDBClient;
  cognito?: CognitoIdentityProviderClient;
  s3?: S3Client;
  eventBridge?: EventBridgeClient;
  sqs?: SQSClient;
};

/**
 * Adds the recording middleware to the service's clients (the document client shares the DynamoDB
 * client's stack) and wraps the S3 client's endpoint resolution to see presigned POSTs.
 */
export const recordClients = (rec: Recorder, clients: Clients): void => {
  const options = { step: "initialize", priority: "high", name: MIDDLEWARE, override: true } as const;
  clients.dynamo?.middlewareStack.add(recording(rec, "dynamodb"), options);
  clients.cognito?.middlewareStack.add(recording(rec, "cognito-idp"), options);
  clients.s3?.middlewareStack.add(recording(rec, "s3"), options);
  clients.eventBridge?.middlewareStack.add(recording(rec, "events"), options);
  clients.sqs?.middlewareStack.add(recording(rec, "sqs"), options);
  if (!clients.s3) return;
  // createPresignedPost resolves the endpoint of a PutObject for its bucket and key, and sends nothing.
  const config = clients.s3.config as unknown as {
    endpointProvider: (params: Input, context?: unknown) => unknown;
    [MIDDLEWARE]?: true;
  };
  if (config[MIDDLEWARE]) return;
  const resolveEndpoint = config.endpointProvider;
  config.endpointProvider = (params, context) => {
    if (callSites().some((site) => site.getFunctionName() === "createPresignedPost"))
      record(rec, "s3", "PresignedPost", params);
    return resolveEndpoint(params, context);
  };
  config[MIDDLEWARE] = true;
};

/** Notes that a test file runs (the audit compares these with the integration project's files). */
export const recordRan = (dir: string, testFile: string): void => {
  appendFileSync(join(dir, `ran-${process.pid}.txt`), `${relative(ROOT, testFile)}\n`);
};
