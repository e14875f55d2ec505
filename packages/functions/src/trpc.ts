import { getTRPCErrorFromUnknown, initTRPC, type TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { Auth, type ApiKey, type Events } from "@iam/core";
import { authorizeKey, bearerToken } from "./auth.ts";
import type { Context } from "./context.ts";
import { toTRPCError, validationError, type Issue } from "./errors.ts";
import { idempotency } from "./idempotency.ts";

/**
 * `access` says which credential a procedure takes. The base procedures below set it, so it
 * follows from the procedure a route is built on; the OpenAPI document and the auth tests read it.
 * `secretParams` names the path parameters that carry a secret (a token, a code): the REST route
 * table (rest-routes.ts) writes them as `[redacted]` wherever it reports a path (the access log).
 */
export type Access = "public" | "apiKey" | "bearer";
/**
 * `created`: a successful call creates a resource. REST answers 201 with `Location`, the template
 * filled from the output (`/user/{id}` → `/user/<output.id>`); tRPC answers as for any call.
 */
export type Created = { location: `/${string}` };
export type Meta = OpenApiMeta<{
  access?: Access;
  // Spelled from the list: `ApiKey.Scope` is also the name of a zod schema, which a bundled .d.ts
  // (the client's) would then pull in with zod's types.
  scope?: (typeof ApiKey.SCOPES)[number];
  idempotent?: boolean;
  created?: Created;
  secretParams?: readonly string[];
}>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Only the code, a message meant for the caller, the HTTP status and, for invalid input, its
    // issues leave the service: no stack, no internal message, whatever NODE_ENV says. The REST
    // side (rest-handler.ts) answers with this same shape, flattened to { message, code, issues? }.
    errorFormatter: ({ shape, error }) => {
      const invalid = validationError(error);
      const issues: Issue[] | undefined = invalid?.issues;
      return {
        code: shape.code,
        message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : (invalid?.message ?? shape.message),
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, ...(issues ? { issues } : {}) },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure's errors leave as the edge maps them (errors.ts: the domain's AppError and a
 * dependency's failure to their codes). Each base procedure does this in its first middleware,
 * together with its credential check: a tRPC middleware level costs object copies and promises
 * on every call, so the check does not get a level of its own.
 */
const throwMapped = (cause: unknown): never => {
  throw toTRPCError(getTRPCErrorFromUnknown(cause));
};
const mapped = <R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R => {
  if (!result.ok) throwMapped(result.error);
  return result;
};

export const publicProcedure = t.procedure.meta({ access: "public" }).use(async ({ next }) => mapped(await next()));

/**
 * For machine callers: a valid `x-api-key` that carries `scope` (read, write, auth, recovery or admin).
 * `ctx.audit` names the key (never the key itself) and the client's address: what core stamps on
 * the events of the changes this call makes.
 */
export const apiKeyProcedure = (scope: ApiKey.Scope) =>
  t.procedure
    .meta({ access: "apiKey", scope })
    .use(async ({ ctx, next }) => {
      let key: ApiKey.Machine;
      try {
        key = await authorizeKey(ctx.apiKey, scope);
      } catch (cause) {
        return throwMapped(cause);
      }
      const audit: Events.Audit = { actor: { type: "apiKey", keyId: key.keyId }, sourceIp: ctx.sourceIp };
      return mapped(await next({ ctx: { key, audit } }));
    })
    // Does nothing unless the procedure's meta says `idempotent: true`.
    .use(idempotency);

/**
 * For users: `Authorization: Bearer <Cognito access token>` (id tokens are for the verify route only).
 * `ctx.audit`: the user themself, from the client's address.
 */
export const bearerProcedure = t.procedure.meta({ access: "bearer" }).use(async ({ ctx, next }) => {
  let caller: Auth.Caller;
  try {
    caller = await Auth.authenticate(bearerToken(ctx.authorization), "access");
  } catch (cause) {
    return throwMapped(cause);
  }
  const audit: Events.Audit = { actor: { type: "user", userId: caller.user.id }, sourceIp: ctx.sourceIp };
  return mapped(await next({ ctx: { caller, audit } }));
});
