import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@iam/functions/router";
import { authHeaders, baseUrl, type IamClientOptions } from "./auth.ts";
import type { ErrorCode, Issue } from "./types.ts";

/**
 * The typed tRPC client: `client.user.register.mutate(…)`, `client.public.me.query()`, … with
 * inputs and outputs inferred from the router (a type-only import: no server code at run time).
 * Calls made in the same tick travel together (httpBatchLink), at most 10 to an HTTP request (the
 * service's batch limit). The return type is named so that the published declarations state the
 * router's type once, as `AppRouter`.
 */
export const createIamClient = (options: IamClientOptions): TRPCClient<AppRouter> =>
  createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl(options.url)}/trpc`,
        headers: () => authHeaders(options),
        maxURLLength: 4000,
        // The service refuses a batch of more than 10 calls (MAX_BATCH_CALLS): split before that.
        maxItems: 10,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });

export type IamClient = TRPCClient<AppRouter>;

/** An error the service answered a tRPC call with: what REST's error body says, plus the status. */
export type IamError = { code: ErrorCode; status: number; message: string; issues?: Issue[] };

/**
 * The service's error code, HTTP status and message, and for invalid input its `issues` (each with
 * the field's `path`), if `error` is an error the service answered with; else undefined.
 */
export const iamErrorOf = (error: unknown): IamError | undefined => {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return undefined;
  const { code, httpStatus, issues } = data as { code?: unknown; httpStatus?: unknown; issues?: unknown };
  if (typeof code !== "string" || typeof httpStatus !== "number") return undefined;
  const base = { code: code as ErrorCode, status: httpStatus, message: error.message };
  return Array.isArray(issues) ? { ...base, issues: issues as Issue[] } : base;
};
