import type { MiddlewareHandler } from "hono";
import { accessLog } from "./log.ts";
import { LITERALS } from "./rest-routes.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** The request's path as logs may show it, set by the handler that knows its route (rest-routes.ts `reportedPath`). */
    logPath: string;
  }
}

/**
 * A path no REST route matched (a 404, /trpc, /docs…), as logs may show it: each segment that is a
 * word of the app's own routes (a literal of the route table or of the app, a tRPC procedure name,
 * or a comma-separated list of those) is kept; anything else, which may be a token or a code a
 * caller put in the wrong place, is `*`. No secret can be copied out of the path this way.
 */
const vocabularyPath = (rawPath: string, words: ReadonlyMap<string, string>): string =>
  rawPath
    .split("/")
    .map((segment) => {
      if (segment === "") return "";
      const parts = segment.toLowerCase().split(",");
      const known = parts.map((p) => words.get(p));
      return known.every((w): w is string => w !== undefined) ? known.join(",") : "*";
    })
    .join("/");

/**
 * One JSON line per request, once it is answered: request id, method, path (the handler's
 * `logPath`, else the vocabulary path), status and duration. `words` is computed on first use,
 * when every route of the app is registered: `appPaths` are the app's own route patterns
 * (Hono's `app.routes`), `procedures` the tRPC procedure names.
 */
export const accessLogger = (appPaths: () => readonly string[], procedures: readonly string[]): MiddlewareHandler => {
  let words: Map<string, string> | undefined;
  const vocabulary = () => {
    const all = [
      ...LITERALS,
      ...procedures,
      ...appPaths().flatMap((p) => p.split("/").filter((s) => s !== "" && !s.startsWith(":") && !s.includes("*"))),
    ];
    return new Map(all.map((w) => [w.toLowerCase(), w]));
  };
  const knownWords = () => {
    words ??= vocabulary();
    return words;
  };
  return async (c, next) => {
    const started = performance.now();
    await next();
    accessLog.info({
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.get("logPath") ?? vocabularyPath(new URL(c.req.url).pathname, knownWords()),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
};
