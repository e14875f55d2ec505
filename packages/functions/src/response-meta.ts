import type { TRPCError } from "@trpc/server";
import type { Context } from "./context.ts";
import { createdLocation } from "./created.ts";
import { errorResponseMeta } from "./errors.ts";
import type { MetaHook } from "./rest-handler.ts";
import { procedures } from "./procedures.ts";
import type { Access } from "./trpc.ts";

/** How each credential is asked for in `WWW-Authenticate` (RFC 9110 §11.6.1; Bearer: RFC 6750). */
export const API_KEY_CHALLENGE = 'ApiKey header="x-api-key"';

const accessByPath = new Map<string, Access | undefined>(
  Object.entries(procedures).map(([path, p]) => [path, p._def.meta?.access]),
);

/** The challenge for a 401 of a procedure that takes `access`; `invalid_token` when a bearer token was presented (RFC 6750 §3.1). */
const challenge = (access: Access | undefined, ctx: Context | undefined): string | undefined => {
  if (access === "apiKey") return API_KEY_CHALLENGE;
  if (access === "bearer")
    return /^Bearer\s+\S/i.test(ctx?.authorization ?? "") ? 'Bearer error="invalid_token"' : "Bearer";
  return undefined;
};

const challenges = (
  errors: readonly TRPCError[],
  paths: readonly string[] | undefined,
  ctx: Context | undefined,
): string | undefined => {
  if (!errors.some((e) => e.code === "UNAUTHORIZED")) return undefined;
  const all = new Set(
    (paths ?? []).map((p) => challenge(accessByPath.get(p), ctx)).filter((c): c is string => c !== undefined),
  );
  return all.size > 0 ? [...all].join(", ") : undefined;
};

/**
 * Status and headers of an answer, for /trpc and REST alike: error statuses and Retry-After
 * (errors.ts), headers a procedure set (Idempotent-Replayed), the Location of what a call created
 * (meta `created`: 201 over REST, where the status is the contract; tRPC answers 200 as for any
 * call), and the credential a 401 asks for.
 */
export const responseMeta =
  (transport: "rest" | "trpc"): MetaHook =>
  ({ errors, ctx, paths, data }) => {
    const meta = errorResponseMeta(errors);
    const headers: Record<string, string> = { ...ctx?.responseHeaders, ...meta.headers };
    const location = errors.length === 0 ? createdLocation(paths, data) : undefined;
    if (location) headers.location = location;
    const wwwAuthenticate = challenges(errors, paths, ctx);
    if (wwwAuthenticate) headers["www-authenticate"] = wwwAuthenticate;
    return { ...meta, ...(location && transport === "rest" ? { status: 201 } : {}), headers };
  };
