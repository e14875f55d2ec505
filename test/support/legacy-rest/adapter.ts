import type { TRPCError } from "@trpc/server";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import type { Context } from "@iam/functions/context";
import type { RestRequest } from "./request.ts";
import { appRouter } from "@iam/functions/router";

type ErrorHook = (opts: { error: TRPCError; path?: string; ctx?: Context }) => void;
export type MetaHook = (opts: {
  errors: readonly TRPCError[];
  ctx?: Context;
  paths?: readonly string[];
  data?: readonly unknown[];
}) => {
  status?: number;
  headers?: Record<string, string>;
};

/**
 * The REST side of the app: trpc-to-openapi's request handler, built ONCE. (Its fetch adapter
 * builds a new handler — route table, and outside production the whole OpenAPI document — on every
 * request.) The handler accepts a fetch `Request` as its request object; this adapter hands it the
 * body parsed beforehand (rest-request.ts), the per-request tRPC context, and a minimal response
 * object whose `end()` becomes the fetch `Response`.
 */
export const createRestHandler = (hooks: { onError: ErrorHook; responseMeta: MetaHook }) => {
  const contexts = new WeakMap<object, Context>();
  const handle = createOpenApiExpressMiddleware({
    router: appRouter,
    createContext: ({ req }: { req: object }) => {
      const ctx = contexts.get(req);
      if (!ctx) throw new Error("REST request without a context");
      return ctx;
    },
    onError: ({ error, path, ctx }: { error: TRPCError; path?: string; ctx?: Context }) =>
      hooks.onError({ error, path, ctx }),
    responseMeta: (opts: Parameters<MetaHook>[0]) => hooks.responseMeta(opts),
  } as unknown as Parameters<typeof createOpenApiExpressMiddleware>[0]);

  return ({ request, body }: RestRequest, ctx: Context): Promise<Response> => {
    const req = new Proxy(request, {
      get(target, prop) {
        if (prop === "body") return body;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    contexts.set(req, ctx);
    return new Promise((resolve, reject) => {
      const headers = new Headers();
      let status = 200;
      const res = {
        setHeader: (key: string, value: string | readonly string[]) => {
          if (typeof value === "string") headers.set(key, value);
          else for (const v of value) headers.append(key, v);
        },
        get statusCode() {
          return status;
        },
        set statusCode(code: number) {
          status = code;
        },
        end: (chunk?: string) => resolve(new Response(chunk ?? null, { status, headers })),
      };
      (handle as unknown as (req: Request, res: object) => Promise<void>)(req, res).catch(reject);
    });
  };
};
