import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { AppError, dependencyFailure, isAppError, type AppErrorCode } from "@iam/core";

/** Domain code → tRPC code. HTTP statuses tRPC has no code for are set in `statusOverride`. */
const CODES: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  GONE: "NOT_FOUND",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNPROCESSABLE_CONTENT: "UNPROCESSABLE_CONTENT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const causes = function* (e: unknown): Generator<unknown> {
  for (let c = e, depth = 0; c && depth < 6; c = (c as { cause?: unknown }).cause, depth++) yield c;
};

/** Turns what a resolver threw into the error the caller sees; unknown errors stay 500. */
export const toTRPCError = (error: TRPCError): TRPCError => {
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  for (const c of causes(error.cause)) {
    if (isAppError(c)) return new TRPCError({ code: CODES[c.code], message: c.message, cause: c });
    const state = dependencyFailure(c);
    if (state === "throttled") {
      const app = new AppError(
        "TOO_MANY_REQUESTS",
        "Too many requests, retry later",
        { retryAfterSeconds: 1 },
        { cause: c },
      );
      return new TRPCError({ code: "TOO_MANY_REQUESTS", message: app.message, cause: app });
    }
    if (state === "unavailable") {
      const app = new AppError(
        "SERVICE_UNAVAILABLE",
        "A dependency is unavailable, retry later",
        { retryAfterSeconds: 2 },
        { cause: c },
      );
      return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: app.message, cause: app });
    }
  }
  return error;
};

/** Status and headers that tRPC's code table cannot express (410, Retry-After). */
export const errorResponseMeta = (
  errors: readonly TRPCError[],
): { status?: number; headers?: Record<string, string> } => {
  const app = errors.map((e) => e.cause).find(isAppError);
  if (!app) return {};
  const headers: Record<string, string> = {};
  if (app.details.retryAfterSeconds !== undefined) headers["retry-after"] = String(app.details.retryAfterSeconds);
  return { status: app.code === "GONE" ? 410 : undefined, headers };
};

/** One problem with the input, as callers get it (REST `issues`, tRPC `error.data.issues`). */
export type Issue = { path: (string | number)[]; message: string; code: string };

type ValidatorIssue = { path?: readonly PropertyKey[]; message?: unknown; code?: unknown; pattern?: unknown };

/**
 * An issue as callers get it: where (`path`), what (`message`), and the validator's `code`. A
 * message that would show a regex's source (zod's default for a pattern without its own message)
 * becomes "Invalid format": the schemas give every pattern a sentence of its own.
 */
const toIssue = (i: ValidatorIssue): Issue => {
  const raw = typeof i.message === "string" ? i.message : "Invalid value";
  const message = typeof i.pattern === "string" && raw.includes(i.pattern) ? "Invalid format" : raw;
  return {
    path: (i.path ?? []).map((p) => (typeof p === "number" ? p : String(p))),
    message,
    code: typeof i.code === "string" ? i.code : "invalid",
  };
};

/**
 * For an input validation error (tRPC's BAD_REQUEST around the validator's error): one sentence,
 * the first issue as "field: problem" plus "(and N more)", and the issues. Otherwise undefined.
 */
export const validationError = (error: TRPCError): { message: string; issues: Issue[] } | undefined => {
  const cause: unknown = error.cause;
  if (error.code !== "BAD_REQUEST" || typeof cause !== "object" || cause === null || !("issues" in cause))
    return undefined;
  const raw = (cause as { issues: unknown }).issues;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const issues = raw.map((i: ValidatorIssue) => toIssue(i));
  const [first] = issues;
  if (!first) return undefined;
  const where = first.path.join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return { message: `${where ? `${where}: ` : ""}${first.message}${more}`, issues };
};
