import { randomUUID } from "node:crypto";
import type { APIGatewayProxyResult, LambdaContext, LambdaEvent } from "hono/aws-lambda";

/** An API Gateway v2 (HTTP API, payload 2.0) event, as the `$default` catch-all route delivers it. */
export const apiEvent = (
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): LambdaEvent => {
  const body = options.body === undefined ? null : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    accept: "application/json",
    host: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
    "user-agent": "iam-bench",
    "x-forwarded-for": "203.0.113.42",
    "x-forwarded-proto": "https",
    ...(body === null ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
    ...options.headers,
  };
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3d4e5",
      // No authorizer on the catch-all route: the app authenticates.
      authentication: null,
      authorizer: {},
      domainName: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "a1b2c3d4e5",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.42", userAgent: "iam-bench" },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded: false,
  };
};

export type Handler = (event: LambdaEvent, context?: LambdaContext) => Promise<APIGatewayProxyResult>;

/** Invokes the handler and insists on the expected status: a benchmark of error paths measures nothing. */
export const invoke = async (handler: Handler, event: LambdaEvent, expected = 200): Promise<APIGatewayProxyResult> => {
  const res = await handler(event);
  if (res.statusCode !== expected) {
    const path = "rawPath" in event ? event.rawPath : "?";
    throw new Error(`${path}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  return res;
};

export const json = <T>(res: APIGatewayProxyResult): T => JSON.parse(res.body) as T;
