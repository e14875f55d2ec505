import { HttpResponse, bypass, http, passthrough } from "msw";
import { setupServer } from "msw/node";

/**
 * AWS-shaped failures at the HTTP layer (msw), for what the emulators cannot produce: throttling,
 * 5xx, a dropped connection after the request was delivered. The SDK's real serialization, retry
 * strategy and error parsing all run, unlike a stubbed `client.send`.
 *
 * msw intercepts only in this process: use it with the app in-process (`createApp().request`) or
 * with core called directly, never with the shared server of the global setup.
 */
export type Service = "dynamodb" | "cognito" | "s3";
// EventBridge and SQS have no emulator here: `fakeEventBridge` and `fakeSqs` below answer them at the HTTP layer.

/**
 * What the matched call gets: an AWS error (its `__type`/`Code` and HTTP status); `drop`: the
 * request goes through to the emulator (a write lands) and the client sees the connection fail;
 * `reset`: the connection fails before the request reaches the emulator; `delayMs`: a slow answer;
 * `until`: the request is held, and goes through once the promise settles (to force an interleaving).
 */
export type Fault =
  | { error: string; status?: number; message?: string }
  | "drop"
  | "reset"
  | { delayMs: number }
  | { until: Promise<unknown> };

/**
 * A TransactWriteItems cancelled by concurrent writes, every round: DynamoDB's
 * TransactionCanceledException with one `TransactionConflict` reason per item of the request
 * (what ElectroDB reads to report `canceled`). Only for TransactWriteItems.
 */
export const TRANSACTION_CONFLICT: Fault = {
  error: "TransactionCanceledException",
  status: 400,
  message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
};

export const THROTTLED: Record<Service, Fault> = {
  dynamodb: {
    error: "ProvisionedThroughputExceededException",
    status: 400,
    message: "The level of configured provisioned throughput for the table was exceeded.",
  },
  cognito: { error: "TooManyRequestsException", status: 400, message: "Rate exceeded" },
  s3: { error: "SlowDown", status: 503, message: "Please reduce your request rate." },
};
export const SERVER_ERROR: Record<Service, Fault> = {
  dynamodb: { error: "InternalServerError", status: 500, message: "Internal server error" },
  cognito: { error: "InternalErrorException", status: 500, message: "Internal error" },
  s3: { error: "InternalError", status: 500, message: "We encountered an internal error. Please try again." },
};

const endpointOf: Record<Service, string> = {
  dynamodb: "AWS_ENDPOINT_URL_DYNAMODB",
  cognito: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
  s3: "AWS_ENDPOINT_URL_S3",
};

/** S3 is REST: an operation is a method plus a query marker. */
const S3_OPERATIONS: Record<string, (req: Request, url: URL) => boolean> = {
  ListObjectsV2: (req, url) => req.method === "GET" && url.searchParams.get("list-type") === "2",
  DeleteObjects: (req, url) => req.method === "POST" && url.searchParams.has("delete"),
  HeadObject: (req) => req.method === "HEAD",
  GetObject: (req, url) => req.method === "GET" && !url.searchParams.has("list-type"),
  DeleteObject: (req, url) => req.method === "DELETE" && !url.searchParams.has("delete"),
  PutObject: (req) => req.method === "PUT",
};

/** The operation a request calls: `X-Amz-Target` for the JSON protocols (DynamoDB, Cognito), method and query for S3. */
const operationOf = (service: Service, req: Request): string | undefined => {
  if (service !== "s3") return req.headers.get("x-amz-target")?.split(".").pop();
  const url = new URL(req.url);
  return Object.entries(S3_OPERATIONS).find(([, matches]) => matches(req, url))?.[0];
};

/**
 * The socket error Node raises when a peer drops the connection (`socket hang up`, ECONNRESET).
 * Thrown from a handler, msw's interceptor fails the request's socket with it (a Node-like error:
 * `code` and `errno`), so the SDK sees what a real drop gives it — and retries it as a transient
 * error — rather than msw's generic `TypeError: Network error`.
 */
const connectionReset = () =>
  Object.assign(new Error("socket hang up"), { code: "ECONNRESET", errno: -104, syscall: "read" });

const errorResponse = (
  service: Service,
  fault: { error: string; status?: number; message?: string },
  extra: Record<string, unknown> = {},
) => {
  const status = fault.status ?? 400;
  const message = fault.message ?? fault.error;
  if (service === "s3")
    return new HttpResponse(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.error}</Code><Message>${message}</Message></Error>`,
      {
        status,
        headers: { "content-type": "application/xml" },
      },
    );
  const type = service === "dynamodb" ? `com.amazonaws.dynamodb.v20120810#${fault.error}` : fault.error;
  return HttpResponse.json(
    { __type: type, message, ...extra },
    {
      status,
      headers: {
        "content-type": `application/x-amz-json-1.${service === "dynamodb" ? 0 : 1}`,
        "x-amzn-errortype": fault.error,
      },
    },
  );
};

/**
 * Listening from import on: msw sees only connections opened after it starts, and the SDK keeps
 * its connections alive, so a test file that injects faults must not have talked to AWS before.
 * Anything no fault matches goes to the real emulators, untouched.
 */
const server = setupServer();
server.listen({ onUnhandledRequest: "bypass" });
const active = new Set<ReturnType<typeof http.all>>();
/** The active faults become msw's handlers. (`resetHandlers(...list)` would make the list msw's initial handlers: never pass one.) */
const apply = () => {
  server.resetHandlers();
  server.use(...active);
};

export type Injected = {
  /** Requests this fault answered (the SDK's retries included). */
  readonly hits: number;
  /** Removes this fault; other faults stay. */
  restore: () => void;
};

/**
 * Fails calls of `operation` (e.g. "TransactWriteItems", "AdminCreateUser", "ListObjectsV2") to
 * `service` with `fault`, the first `times` of them (default: all), until `restore()`; with `when`,
 * only the calls whose request body it accepts.
 */
export const failing = (
  service: Service,
  operation: string,
  fault: Fault,
  options: { times?: number; when?: (body: string) => boolean } = {},
): Injected => {
  const endpoint = process.env[endpointOf[service]];
  if (!endpoint) throw new Error(`${endpointOf[service]} is not set: no stack configuration in this process`);
  const origin = new URL(endpoint).origin;
  let hits = 0;
  const handler = http.all("*", async ({ request }) => {
    if (
      new URL(request.url).origin !== origin ||
      operationOf(service, request) !== operation ||
      hits >= (options.times ?? Infinity)
    )
      return passthrough();
    const body = options.when || fault === TRANSACTION_CONFLICT ? await request.clone().text() : "";
    if (options.when && !options.when(body)) return passthrough();
    hits++;
    if (fault === "reset") throw connectionReset();
    if (fault === "drop") {
      await fetch(bypass(request));
      throw connectionReset();
    }
    if ("until" in fault) {
      await fault.until.catch(() => undefined);
      return passthrough();
    }
    if ("delayMs" in fault) {
      await new Promise((r) => setTimeout(r, fault.delayMs));
      return passthrough();
    }
    if (fault === TRANSACTION_CONFLICT) {
      const items = (JSON.parse(body) as { TransactItems?: unknown[] }).TransactItems ?? [];
      return errorResponse(service, fault, {
        CancellationReasons: items.map(() => ({
          Code: "TransactionConflict",
          Message: "Transaction is ongoing for the item",
        })),
      });
    }
    return errorResponse(service, fault);
  });
  active.add(handler);
  apply();
  return {
    get hits() {
      return hits;
    },
    restore: () => {
      active.delete(handler);
      apply();
    },
  };
};

/** Removes every fault (for an `afterEach`). */
export const restoreAllFaults = () => {
  active.clear();
  server.resetHandlers();
};

// --- Services the local stack has no emulator for ---------------------------------------------

/** A PutEvents entry as the service received it. */
export type PutEntry = { Source?: string; DetailType?: string; Detail?: string; EventBusName?: string; Time?: number };
/** What the fake answers one entry: accepted, or a per-entry error (the call itself still succeeds). */
export type EntryAnswer = "ok" | { errorCode: string; message?: string };

/**
 * EventBridge (`eventbridge` service), answered at the HTTP layer like the faults above: PutEvents
 * calls are recorded and each entry gets what `answer` says (default: accepted), so the SDK's real
 * serialisation and parsing run. The endpoint is a closed local port set as
 * `AWS_ENDPOINT_URL_EVENTBRIDGE`: anything msw does not answer fails to connect. Set before the
 * first EventBridge client is made.
 */
export const fakeEventBridge = (answer: (entry: PutEntry, index: number) => EntryAnswer = () => "ok") => {
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE ??= "http://127.0.0.1:9/";
  const origin = new URL(process.env.AWS_ENDPOINT_URL_EVENTBRIDGE).origin;
  const calls: PutEntry[][] = [];
  let seen = 0;
  let respond = answer;
  const handler = http.post("*", async ({ request }) => {
    // Not ours: undefined lets msw try the next handler (`passthrough()` would end the search).
    if (new URL(request.url).origin !== origin || request.headers.get("x-amz-target") !== "AWSEvents.PutEvents")
      return undefined;
    const { Entries = [] } = (await request.json()) as { Entries?: PutEntry[] };
    calls.push(Entries);
    const results = Entries.map((entry) => {
      const a = respond(entry, seen++);
      return a === "ok"
        ? { EventId: crypto.randomUUID() }
        : { ErrorCode: a.errorCode, ErrorMessage: a.message ?? a.errorCode };
    });
    return HttpResponse.json(
      { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results },
      { headers: { "content-type": "application/x-amz-json-1.1" } },
    );
  });
  active.add(handler);
  apply();
  return {
    calls,
    /** Every entry put so far, in order. */
    get entries() {
      return calls.flat();
    },
    answer: (fn: typeof answer) => {
      respond = fn;
    },
    restore: () => {
      active.delete(handler);
      apply();
    },
  };
};

/**
 * SQS (`sqs` service, AWS JSON protocol) the same way: SendMessage calls are recorded and accepted
 * (or refused with a 500 while `failing` is set), with the MD5 of the body the SDK checks.
 */
export const fakeSqs = () => {
  process.env.AWS_ENDPOINT_URL_SQS ??= "http://127.0.0.1:9/";
  const origin = new URL(process.env.AWS_ENDPOINT_URL_SQS).origin;
  const sent: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }[] = [];
  const state = { failing: false };
  const handler = http.post("*", async ({ request }) => {
    if (new URL(request.url).origin !== origin || request.headers.get("x-amz-target") !== "AmazonSQS.SendMessage")
      return undefined;
    if (state.failing)
      return HttpResponse.json(
        { __type: "com.amazonaws.sqs#InternalError", message: "Internal error" },
        { status: 500, headers: { "content-type": "application/x-amz-json-1.0" } },
      );
    const message = (await request.json()) as (typeof sent)[number];
    sent.push(message);
    const { createHash } = await import("node:crypto");
    return HttpResponse.json(
      { MessageId: crypto.randomUUID(), MD5OfMessageBody: createHash("md5").update(message.MessageBody).digest("hex") },
      { headers: { "content-type": "application/x-amz-json-1.0" } },
    );
  });
  active.add(handler);
  apply();
  return {
    sent,
    state,
    restore: () => {
      active.delete(handler);
      apply();
    },
  };
};
