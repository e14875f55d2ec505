import { createHash, randomUUID } from "node:crypto";
import { Config } from "../config.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { seal, unseal } from "./seal.ts";

/**
 * `Idempotency-Key` (IETF draft "The Idempotency-Key HTTP Header Field"): a request repeated with the
 * same key and the same input within 24 hours gets the first response, without the work being done
 * again. Records live in the single table (entity `idempotency`, TTL 24 h). Powertools' idempotency
 * utility was not used: it keeps its own DynamoDB client and reads the remaining time from a Lambda
 * context, where this needs the shared SDK client and the request's own deadline.
 *
 * - `scope` is the caller's API key id and the procedure: the same key from another caller or on
 *   another route is another record.
 * - The first request holds a lease (`Config.requestDeadlineMs`): a repeat meanwhile is a 409 with
 *   Retry-After, so concurrent repeats do the work once; a request that died (crash) frees the key
 *   when its lease passes.
 * - The same key with another input is a 422.
 * - The response is stored sealed under a key derived from the Idempotency-Key (seal.ts).
 */
export type Request = { scope: string; key: string; input: unknown };
export type Held = Request & { recordId: string; token: string };

const TTL_SECONDS = 24 * 3600;
const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

/** JSON with object keys sorted, so that the same input always hashes the same. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(Object.getOwnPropertyDescriptor(value, k)?.value)}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
};

const recordIdOf = (r: Request) => sha256(`${r.scope}\n${r.key}`);

/**
 * Claims the key for this request: `{ run }` — do the work, then `complete` or `release` — or
 * `{ replay }`, the first response. Throws 422 for another input, 409 while the first still runs.
 */
export const claim = async (request: Request): Promise<{ run: Held } | { replay: unknown }> => {
  const recordId = recordIdOf(request);
  const inputHash = sha256(canonical(request.input));
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = Date.now();
    const token = randomUUID();
    try {
      // A new key, or one whose first request died holding it (lease passed) with this same input.
      await db()
        .entities.idempotency.put({
          recordId,
          inputHash,
          state: "running",
          token,
          leaseUntil: now + Config.requestDeadlineMs,
          expiresAt: Math.floor(now / 1000) + TTL_SECONDS,
        })
        .where(
          (r, { notExists, eq, lt }) =>
            `${notExists(r.recordId)} OR (${eq(r.state, "running")} AND ${lt(r.leaseUntil, now)} AND ${eq(r.inputHash, inputHash)})`,
        )
        .go();
      return { run: { ...request, recordId, token } };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    const { data: record } = await db().entities.idempotency.get({ recordId }).go({ consistent: true });
    if (!record) continue; // released meanwhile: claim again
    if (record.inputHash !== inputHash)
      throw new AppError("UNPROCESSABLE_CONTENT", "This Idempotency-Key was used with a different request body");
    if (record.state === "running") {
      const wait = Math.max(1, Math.ceil((record.leaseUntil - Date.now()) / 1000));
      throw new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress; retry", {
        retryAfterSeconds: wait,
      });
    }
    const plain = record.response === undefined ? null : unseal(record.response, request.key, request.scope);
    if (plain === null)
      throw new AppError("UNPROCESSABLE_CONTENT", "This Idempotency-Key's stored response cannot be read");
    return { replay: JSON.parse(plain) };
  }
  throw new AppError("CONFLICT", "A request with this Idempotency-Key is in progress; retry", { retryAfterSeconds: 1 });
};

/** Stores the response for repeats. If the lease was lost meanwhile, the record is someone else's: leave it. */
export const complete = async (held: Held, response: unknown): Promise<void> => {
  try {
    await db()
      .entities.idempotency.patch({ recordId: held.recordId })
      .set({ state: "done", response: seal(JSON.stringify(response), held.key, held.scope) })
      .where((r, { eq }) => eq(r.token, held.token))
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
};

/** Frees the key after a failed request, so that a retry does the work (nothing of the failure is stored). */
export const release = async (held: Held): Promise<void> => {
  try {
    await db()
      .entities.idempotency.delete({ recordId: held.recordId })
      .where((r, { eq }) => `${eq(r.token, held.token)} AND ${eq(r.state, "running")}`)
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
};
