/**
 * main's REST front door as it was before the route table (commit 7e83b1b): trpc-to-openapi's
 * express-middleware adapter behind rest-request.ts's normalisation, with main's middleware in
 * front of it and main's response metadata. Kept only for test/rest-switch.test.ts, which sends
 * every contract case to this and to the service's own route table and compares the answers.
 * adapter.ts and request.ts are main's rest-adapter.ts and rest-request.ts, unchanged.
 */
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { TRPCError } from "@trpc/server";
import { Config, isAppError, withDeadline } from "@iam/core";
import { contextFromRequest } from "@iam/functions/context";
import { createdLocation } from "@iam/functions/created";
import { createRestHandler, type MetaHook } from "./adapter.ts";
import { normalizeRestRequest } from "./request.ts";

/** main's errors.ts `errorResponseMeta`. */
const errorResponseMeta = (errors: readonly TRPCError[]): { status?: number; headers?: Record<string, string> } => {
  const app = errors.map((e) => e.cause).find(isAppError);
  if (!app) return {};
  const headers: Record<string, string> = {};
  if (app.details.retryAfterSeconds !== undefined) headers["retry-after"] = String(app.details.retryAfterSeconds);
  return { status: app.code === "GONE" ? 410 : undefined, headers };
};

export const createLegacyRestApp = () => {
  const app = new Hono();
  const context = (c: HonoContext) =>
    contextFromRequest(c.req.raw, { requestId: c.get("requestId"), sourceIp: getConnInfo(c).remote.address });
  // main's response metadata, plus what landed beside the switch and applies to any front door:
  // 201 + Location for a procedure whose meta says it creates a resource (issue 15 item 6).
  const responseMeta: MetaHook = ({ errors, ctx, paths, data }) => {
    const meta = errorResponseMeta(errors);
    const headers = { ...ctx?.responseHeaders, ...meta.headers };
    const location = errors.length === 0 ? createdLocation(paths, data) : undefined;
    if (location) headers.location = location;
    return { ...meta, ...(location ? { status: 201 } : {}), headers };
  };

  app.use(requestId());
  app.use((_c, next) => withDeadline(Config.requestDeadlineMs, next));
  app.use(
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) =>
        c.json({ message: "Request body exceeds 1 MiB", code: "PAYLOAD_TOO_LARGE" }, 413, { connection: "close" }),
    }),
  );
  const browserCors = cors({
    origin: (origin) => (Config.corsOrigins.includes(origin) ? origin : null),
    allowHeaders: ["authorization", "content-type", "x-request-id", "trpc-accept"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  });
  app.use("/public/*", browserCors);

  const restHandler = createRestHandler({ onError: () => undefined, responseMeta });
  app.all("*", async (c) => {
    const req = await normalizeRestRequest(c.req.raw);
    if ("status" in req) return c.json(req.body, req.status);
    return restHandler(req, context(c));
  });
  app.onError((_err, c) => c.json({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" }, 500));
  return app;
};
