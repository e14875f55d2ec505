import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { StandardRetryStrategy } from "@smithy/core/retry";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { DeadlineExceeded, remainingMs } from "../deadline.ts";

type RetryArgs = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>;

/**
 * SDK clients, created once per process on first use. Region, credentials and endpoint
 * overrides (`AWS_ENDPOINT_URL_DYNAMODB`, …) come from the standard AWS environment.
 *
 * Every client gets the same bounds, because an SDK client without them waits forever on a
 * stalled dependency (a stopped emulator, a black-holed connection):
 * - connect within 1 s; an attempt (request and response) may take what is left of the current
 *   request's deadline (deadline.ts), or 10 s outside any request — `requestTimeout` alone only
 *   logs a warning in this SDK version, `throwOnRequestTimeout` makes it an error;
 * - at most 3 attempts (the SDK's standard retries, for throttling, 5xx, resets), and none that
 *   starts with less than `MIN_RETRY_BUDGET_MS` of the deadline left: a stalled dependency costs
 *   one attempt that ends at the deadline. (A slow one is not cut short by a fixed per-attempt
 *   limit: it was answering, and a retry would only repeat a write that may have landed.)
 */
export const TIMEOUTS = { connectMs: 1_000, attemptMs: 10_000, maxAttempts: 3 } as const;
const MIN_RETRY_BUDGET_MS = 250;

/** A value made on first use, then kept (a client per process). */
export const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/** The Node HTTP handler with the timeouts above, each attempt bounded by what is left of the request's deadline. */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor() {
    super({
      connectionTimeout: TIMEOUTS.connectMs,
      requestTimeout: TIMEOUTS.attemptMs,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: 50 },
      httpsAgent: { keepAlive: true, maxSockets: 50 },
    });
  }

  override handle(
    ...[request, options = {}]: Parameters<NodeHttpHandler["handle"]>
  ): ReturnType<NodeHttpHandler["handle"]> {
    const left = remainingMs();
    if (left === undefined) return super.handle(request, options);
    if (left <= 0) return Promise.reject(new DeadlineExceeded());
    return super.handle(request, { ...options, requestTimeout: Math.min(TIMEOUTS.attemptMs, left) });
  }
}

/** The SDK's standard retries, minus a retry that could not finish before the deadline. */
class DeadlineRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(
    ...[token, errorInfo]: RetryArgs
  ): ReturnType<StandardRetryStrategy["refreshRetryTokenForRetry"]> {
    const left = remainingMs();
    // Any throw here ends the retries; the SDK then reports the attempt's own error.
    if (left !== undefined && left < MIN_RETRY_BUDGET_MS) throw errorInfo.error;
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

/** Every client's options (the bench builds its bare baseline clients with them, so they differ from the service's in nothing). */
export const clientOptions = () => ({
  maxAttempts: TIMEOUTS.maxAttempts,
  retryStrategy: new DeadlineRetryStrategy(TIMEOUTS.maxAttempts),
  requestHandler: new DeadlineHttpHandler(),
});

/**
 * DynamoDB's clients. Cognito's, S3's, SQS's and EventBridge's are made in their adapters'
 * `*-sdk.ts` modules, loaded on first use (adapters/cognito.ts says why).
 */
export const dynamo = once(() => new DynamoDBClient(clientOptions()));
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } }),
);

/** AWS SDK error names that mean "slow down / try again", whatever the service. */
const THROTTLED = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "LimitExceededException",
]);
/** Error names of a dependency that is down, slow or failing: timeouts, our own deadline, a server fault. */
const UNAVAILABLE = new Set([
  "InternalServerError",
  "InternalErrorException",
  "ServiceUnavailable",
  "TimeoutError",
  "DeadlineExceeded",
  "AbortError",
]);
/** Node socket errors: the dependency refused, reset or dropped the connection. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

type SdkErrorShape = {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
};

/**
 * What an error thrown by an SDK client says about the dependency: throttled, unavailable, or
 * neither (a bug, or an answer). The one place that knows the SDKs' failure names; the edge maps
 * the two states to 429 and 503.
 */
export const dependencyFailure = (error: unknown): "throttled" | "unavailable" | undefined => {
  const e = (error ?? {}) as SdkErrorShape;
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  if (THROTTLED.has(name) || status === 429 || e.$retryable?.throttling === true) return "throttled";
  if (UNAVAILABLE.has(name) || (typeof e.code === "string" && NETWORK_CODES.has(e.code))) return "unavailable";
  // An AWS service's own 5xx (its `$fault` is "server"), modeled or not.
  if (e.$fault === "server" || (status !== undefined && status >= 500)) return "unavailable";
  return undefined;
};

/** True when an AWS service answered the call with a 4xx: it was refused, so it did nothing we do not know of. */
export const refusedByService = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
};
