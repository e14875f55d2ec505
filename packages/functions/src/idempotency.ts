import { experimental_standaloneMiddleware } from "@trpc/server";
// tRPC has no public way for a middleware to answer without calling `next()`; a replay must not
// run the resolver, so it returns a result carrying tRPC's marker, as `next()` would.
import { middlewareMarker } from "@trpc/server/unstable-core-do-not-import";
import { z } from "zod";
import { AppError, Idempotency, type ApiKey } from "@iam/core";
import type { Context } from "./context.ts";
import type { Meta } from "./trpc.ts";

/** What an `Idempotency-Key` may be: 1–255 visible ASCII characters (a UUID is the usual choice). */
export const IdempotencyKey = z
  .string()
  .max(255, { abort: true, message: "1-255 visible ASCII characters" })
  .regex(/^[\x21-\x7e]{1,255}$/, "1-255 visible ASCII characters")
  .describe(
    "Makes a retry safe: the same key and body within 24 h return the first response (the `Idempotency-Key` header does the same; for a tRPC batch, which shares headers)",
  );

const keyFrom = (ctx: Context, raw: unknown): unknown => {
  if (ctx.idempotencyKey !== null) return ctx.idempotencyKey;
  return raw !== null && typeof raw === "object" ? (raw as { idempotencyKey?: unknown }).idempotencyKey : undefined;
};

/**
 * Idempotency for the procedures whose meta says `idempotent: true` (POST mutations that hand out
 * nothing on demand: registration; never login, refresh, password reset or API keys, whose every
 * call must mint afresh). The key comes from the `Idempotency-Key` header or the input's
 * `idempotencyKey`; the record is scoped to the calling API key and the procedure
 * (core idempotency/index.ts). A replay answers the stored response, marked `Idempotent-Replayed: true`.
 */
export const idempotency = experimental_standaloneMiddleware<{
  ctx: Context & { key: ApiKey.Machine };
  meta: Meta;
}>().create(async ({ meta, ctx, path, getRawInput, next }) => {
  if (!meta?.idempotent) return next();
  const raw = await getRawInput();
  const given = keyFrom(ctx, raw);
  if (given === undefined) return next();
  const parsed = IdempotencyKey.safeParse(given);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Idempotency-Key must be 1-255 visible ASCII characters");
  const { idempotencyKey: _key, ...input } = (raw ?? {}) as Record<string, unknown>;
  const claimed = await Idempotency.claim({ scope: `${ctx.key.keyId} ${path}`, key: parsed.data, input });
  if ("replay" in claimed) {
    ctx.responseHeaders["idempotent-replayed"] = "true";
    return { ok: true as const, data: claimed.replay, marker: middlewareMarker };
  }
  const result = await next();
  if (result.ok) await Idempotency.complete(claimed.run, result.data);
  else await Idempotency.release(claimed.run).catch(() => undefined); // or its lease runs out
  return result;
});
