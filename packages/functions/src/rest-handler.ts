import { getErrorShape, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context } from "./context.ts";
import { procedures } from "./procedures.ts";
import type { Route } from "./rest-routes.ts";
import { appRouter } from "./router.ts";

type ErrorHook = (opts: { error: TRPCError; path?: string; ctx?: Context }) => void;
/** Status and headers for an answer (the app's, shared with /trpc): error statuses, Retry-After, Location. */
export type MetaHook = (opts: {
  errors: readonly TRPCError[];
  ctx?: Context;
  paths?: readonly string[];
  data?: readonly unknown[];
}) => {
  status?: number;
  headers?: Record<string, string>;
};

/** A request refused before any procedure runs: its status and body. */
export type Refusal = { status: 400; body: { message: string; code: "PARSE_ERROR" | "BAD_REQUEST" } };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/**
 * A query parameter named after an Object.prototype member (`valueOf`, `__proto__`, …) is refused
 * on every route: collected into a plain object, such a name would shadow or set the prototype.
 */
const reservedQueryName = (url: URL): Refusal | undefined => {
  for (const name of url.searchParams.keys())
    if (name in Object.prototype)
      return { status: 400, body: { message: `Query parameter name '${name}' is not allowed`, code: "BAD_REQUEST" } };
  return undefined;
};

/**
 * The input a procedure gets from a GET or DELETE: the query string (a repeated name is an array;
 * a single value of an array field a one-element array; number fields coerced as zod's
 * `z.coerce.number()` would) and then the path parameters, which win.
 */
const queryInput = (route: Route, url: URL, params: Record<string, string>): Record<string, unknown> => {
  const input: Record<string, unknown> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    const value = values.length === 1 && !route.arrayKeys.has(name) ? values[0] : values;
    input[name] = route.numberKeys.has(name) && typeof value === "string" ? Number(value) : value;
  }
  return { ...input, ...params };
};

/**
 * The input a procedure gets from a POST, PUT or PATCH: the JSON body (an object: the only input
 * shape a procedure accepts; no body at all means `{}`) and then the path parameters, which win.
 * A body of another media type than the route takes is a 415 that names the type to send.
 * Nothing in a body is coerced: JSON has numbers.
 */
const bodyInput = async (
  request: Request,
  route: Route,
  params: Record<string, string>,
): Promise<Record<string, unknown> | Refusal | TRPCError> => {
  const text = await request.text();
  if (text.trim() === "") return { ...params };
  if (!route.mediaTypes.includes(mediaType(request.headers.get("content-type"))))
    return new TRPCError({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `Send the body as JSON, with content-type: ${route.mediaTypes.join(" or ")}`,
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 400, body: { message: "Request body is not valid JSON", code: "PARSE_ERROR" } };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { status: 400, body: { message: "Request body must be a JSON object", code: "BAD_REQUEST" } };
  return { ...parsed, ...params };
};

/** A content-type's media type without its parameters (`charset`…), lower-case: media types compare case-insensitively (RFC 9110 §8.3.1). */
const mediaType = (contentType: string | null) => (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && "status" in value && "body" in value;

/**
 * Calls the procedure at `path` (a dotted router path) as tRPC's own caller does, without building
 * a caller (a proxy per request, and a lookup of the path) for each request.
 */
const invoke = (path: string, ctx: Context, input: unknown): Promise<unknown> => {
  const procedure = procedures[path];
  if (!procedure) throw new TRPCError({ code: "NOT_FOUND", message: "Not found" });
  return procedure({
    path,
    type: procedure._def.type,
    ctx,
    getRawInput: async () => input,
    signal: undefined,
    batchIndex: 0,
  });
};

/**
 * The REST side of the app: a matched route's request → its procedure, called through the
 * procedure (the same middlewares, validation and error mapping as /trpc), → a JSON answer.
 */
export const createRestHandler = (hooks: { onError: ErrorHook; responseMeta: MetaHook }) => {
  const errorResponse = (cause: unknown, route: Route | undefined, ctx: Context | undefined, input: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    hooks.onError({ error, path: route?.procedure, ctx });
    const meta = hooks.responseMeta({
      errors: [error],
      ctx,
      paths: route ? [route.procedure] : undefined,
      data: [undefined],
    });
    // The router's error formatter decides what leaves the service, for both transports.
    const shape = getErrorShape({
      config: appRouter._def._config,
      error,
      type: route ? (route.body ? "mutation" : "query") : "unknown",
      path: route?.procedure,
      input,
      ctx,
    });
    const { issues } = shape.data;
    const body = { message: shape.message, code: error.code, ...(issues ? { issues } : {}) };
    return json(meta.status ?? getHTTPStatusCodeFromError(error), body, meta.headers);
  };

  return {
    notFound: () =>
      errorResponse(new TRPCError({ code: "NOT_FOUND", message: "Not found" }), undefined, undefined, undefined),

    handle: async (request: Request, route: Route, params: Record<string, string>, ctx: Context): Promise<Response> => {
      const url = new URL(request.url);
      const reserved = reservedQueryName(url);
      if (reserved) return json(reserved.status, reserved.body);
      const input = route.body ? await bodyInput(request, route, params) : queryInput(route, url, params);
      if (isRefusal(input)) return json(input.status, input.body);
      if (input instanceof TRPCError) return errorResponse(input, route, ctx, undefined);
      const given = route.noInput ? undefined : input;
      try {
        const data = await invoke(route.procedure, ctx, given);
        const meta = hooks.responseMeta({ errors: [], ctx, paths: [route.procedure], data: [data] });
        return json(meta.status ?? 200, data, meta.headers);
      } catch (cause) {
        return errorResponse(cause, route, ctx, given);
      }
    },
  };
};
