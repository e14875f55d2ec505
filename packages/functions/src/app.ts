import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { Config, Health, withDeadline } from "@iam/core";
import type { TRPCError } from "@trpc/server";
import { contextFromRequest } from "./context.ts";
import { mountDocs } from "./docs.ts";
import { accessLogger } from "./access-log.ts";
import { log } from "./log.ts";
import { servedDocument } from "./openapi-serve.ts";
import { responseMeta } from "./response-meta.ts";
import { createRestHandler } from "./rest-handler.ts";
import { matchRoute, reportedPath } from "./rest-routes.ts";
import { procedures } from "./procedures.ts";
import { appRouter } from "./router.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The most calls one `/trpc` request may carry (tRPC batching); more is a 400 before any of them
 * runs. A batch multiplies what one request can do (50 password checks, say); the typed client
 * (packages/client) splits its batches to stay under this.
 */
export const MAX_BATCH_CALLS = 10;

const methodNotAllowedBody = (allow: readonly string[]) => ({
  message: `Method not allowed here: use ${allow.join(", ")}`,
  code: "METHOD_NOT_SUPPORTED",
});

/**
 * Headers for browsers, on every answer; a handler's own value wins (the /docs page's CSP, its
 * assets' Cache-Control). JSON answers load nothing and are framed nowhere. Every API answer is
 * about a user or hands out a secret (tokens, codes, keys): no cache may keep it. Only the
 * headers that do something for a JSON API and its one HTML page: nosniff, Referrer-Policy,
 * X-Frame-Options, CSP and HSTS (the values hono's secureHeaders gives them; its other headers
 * are legacy or for HTML apps, and each header is paid on every response).
 */
const ANSWER_HEADERS: readonly (readonly [string, string])[] = [
  ["content-security-policy", "default-src 'none'; frame-ancestors 'none'"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["referrer-policy", "no-referrer"],
  ["cache-control", "no-store"],
];

/** The caller's `X-Request-Id` when it is a safe token (as hono's requestId takes it: ≤ 255 of `[\w\-=]`), else a new UUID. */
const requestIdOf = (given: string | undefined): string =>
  given && given.length <= 255 && !/[^\w\-=]/.test(given) ? given : randomUUID();

declare module "hono" {
  interface ContextVariableMap {
    /** The request's id: the caller's `X-Request-Id`, or a new UUID; echoed on every answer and logged. */
    requestId: string;
  }
}

export type AppOptions = {
  /** The caller's IP as the runtime sees it (API Gateway event or Node socket). */
  sourceIp?: (c: HonoContext) => string | undefined;
};

/**
 * The one HTTP app: tRPC at /trpc, the same procedures as REST at the root (the route table built
 * from each procedure's `meta.openapi`, rest-routes.ts),
 * /openapi.json, /docs and /health. The Lambda handler and the local server both serve it.
 */
export const createApp = (options: AppOptions = {}) => {
  const app = new Hono();
  const context = (c: HonoContext) =>
    contextFromRequest(c.req.raw, { requestId: c.get("requestId"), sourceIp: options.sourceIp?.(c) });
  const logInternal = (error: TRPCError, path: string | undefined, requestId: string | undefined) => {
    if (error.code === "INTERNAL_SERVER_ERROR")
      log.error({ requestId, procedure: path, err: error.cause ?? error }, "internal error");
  };
  const onError =
    (c: HonoContext) =>
    ({ error, path }: { error: TRPCError; path?: string }) =>
      logInternal(error, path, c.get("requestId"));
  // Tokens and codes travel in some paths: the log shows a path as the route table reports it.
  const logged = accessLogger(() => app.routes.map((r) => r.path), Object.keys(procedures));
  // What every request gets, in one middleware (each middleware is an async hop on every
  // request): its id; one budget that every dependency call of the request shares
  // (core/deadline.ts: a stalled dependency costs the caller at most this, then a 503 with
  // Retry-After); its access-log line; and the headers of every answer.
  app.use(async (c, next) => {
    const id = requestIdOf(c.req.header("x-request-id"));
    c.set("requestId", id);
    await withDeadline(Config.requestDeadlineMs, () => logged(c, next));
    // Whoever built the answer (tRPC and REST return their own Response objects).
    const headers = c.res.headers;
    for (const [name, value] of ANSWER_HEADERS) if (!headers.has(name)) headers.set(name, value);
    headers.set("x-request-id", id);
  });
  // Two guards that a GET never needs, in one hop that a GET skips (each middleware is an async
  // hop on every request, and reads are the hot path): a body over 1 MiB is a 413 (neither the
  // Lambda adapter nor the Node server passes a GET's body on, and nothing reads one), and a
  // wrong method on one of the app's own routes, all GET (/health, /openapi.json, /docs…), is a
  // 405 with Allow. REST routes are not Hono routes: the route table answers their 405s itself.
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    // Answered before the body is read: the rest of it is still on the wire, so this connection
    // cannot carry another request. Closing it makes the client open a fresh one for the next.
    onError: (c) =>
      c.json({ message: "Request body exceeds 1 MiB", code: "PAYLOAD_TOO_LARGE" }, 413, { connection: "close" }),
  });
  const wrongMethod = methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => c.json(methodNotAllowedBody(methods), 405, { allow: methods.join(", ") }),
  });
  app.use((c, next) =>
    c.req.method === "GET"
      ? next()
      : limitBody(c, async () => {
          await wrongMethod(c, next);
        }),
  );

  // Browsers may call the user-facing routes from the configured origins only; S2S routes get no CORS.
  const browserCors = cors({
    origin: (origin) => (Config.corsOrigins.includes(origin) ? origin : null),
    allowHeaders: ["authorization", "content-type", "x-request-id", "trpc-accept"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  });
  app.use("/public/*", browserCors);
  app.use("/trpc/*", browserCors);
  // Liveness: the process answers; nothing else is called.
  app.get("/health", (c) => c.json({ status: "ok" }));
  // Readiness: each dependency and its latency; 503 when one is down (cached a few seconds).
  const ready = Health.readiness();
  app.get("/health/ready", async (c) => {
    const result = await ready();
    return result.status === "ready" ? c.json(result) : c.json(result, 503, { "retry-after": "5" });
  });
  // The committed document (generated at build time), naming the origin this request reached as its server.
  app.get("/openapi.json", async (c) => c.json(await servedDocument(new URL(c.req.url).origin)));
  mountDocs(app);

  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      maxBatchSize: MAX_BATCH_CALLS,
      createContext: () => context(c),
      onError: onError(c),
      responseMeta: responseMeta("trpc"),
    }),
  );
  const rest = createRestHandler({
    onError: ({ error, path, ctx }) => logInternal(error, path, ctx?.requestId),
    responseMeta: responseMeta("rest"),
  });
  app.all("*", (c) => {
    const match = matchRoute(c.req.method, new URL(c.req.url).pathname);
    if (match.kind !== "none") c.set("logPath", reportedPath(match.route, match.params));
    if (match.kind === "method")
      return c.json(methodNotAllowedBody(match.allow), 405, { allow: match.allow.join(", ") });
    if (match.kind === "none") return rest.notFound();
    return rest.handle(c.req.raw, match.route, match.params, context(c));
  });

  app.onError((err, c) => {
    log.error({ requestId: c.get("requestId"), err }, "unhandled error");
    return c.json({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" }, 500);
  });
  return app;
};
