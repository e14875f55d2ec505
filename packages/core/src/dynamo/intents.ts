import { randomUUID } from "node:crypto";
import type { EntityItem } from "electrodb";
import { CLEANUP_DEADLINE_MS, remainingMs, withDeadline } from "../deadline.ts";
import { AppError } from "../errors.ts";
import type { IntentEntity, IntentKind } from "./entities/intent.ts";
import { isConditionFailure } from "./errors.ts";
import { db } from "./service.ts";
import type { TxEntities } from "./transaction.ts";

/**
 * Intents: how a change that spans DynamoDB and Cognito survives a crash. The owner records the
 * intent before touching Cognito and removes it in the same DynamoDB transaction that commits the
 * change (conditioned on the intent still being its own and `pending`). Whatever is left behind —
 * a crash, an outage, an answer that never came — is an intent that `settle` (per kind) resolves:
 * by the reconciler (reconcile/index.ts) once it is older than `STALE_AFTER_SECONDS`, or by the next change of the same
 * subject. An owner that gives up marks its intent `aborting` first, which makes its own commit
 * impossible even if that commit is still on its way to DynamoDB.
 */
export type Intent = EntityItem<typeof IntentEntity>;

/** Older than this, an intent's owner is certainly gone: every call it makes ends by its request deadline (deadline.ts). */
export const STALE_AFTER_SECONDS = 120;
/** A backstop only: the reconciler resolves intents within minutes. */
const TTL_SECONDS = 7 * 24 * 3600;

export const ageSeconds = (intent: Pick<Intent, "createdAt">, now = Date.now()) =>
  (now - Date.parse(intent.createdAt)) / 1000;

const read = async (kind: IntentKind, subject: string): Promise<Intent | null> =>
  (await db().entities.intent.get({ kind, subject }).go({ consistent: true })).data;

/**
 * Records the intent for `subject`. Another one in the way is settled first when it is stale (its
 * owner is gone) or `aborting` (its owner gave up); a live one is a 409 with Retry-After.
 */
export const begin = async (
  kind: IntentKind,
  subject: string,
  settle: (intent: Intent) => Promise<unknown>,
): Promise<Intent> => {
  const busy = (retryAfterSeconds: number) =>
    kind === "register"
      ? new AppError("CONFLICT", "A registration of this email is in progress", { field: "email", retryAfterSeconds })
      : new AppError("CONFLICT", "A role change of this user is in progress; retry", { retryAfterSeconds });
  for (let attempt = 0; ; attempt++) {
    const intent = {
      kind,
      subject,
      token: randomUUID(),
      createdAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + TTL_SECONDS,
    };
    try {
      await db().entities.intent.create(intent).go();
      return { ...intent, state: "pending" };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    const existing = await read(kind, subject);
    // Our own create, retried by the SDK after it had landed.
    if (existing?.token === intent.token) return existing;
    if (attempt > 0) throw busy(1);
    if (existing && existing.state === "pending" && ageSeconds(existing) <= STALE_AFTER_SECONDS)
      throw busy(Math.min(5, Math.max(1, Math.ceil(STALE_AFTER_SECONDS - ageSeconds(existing)))));
    // Gone meanwhile, given up, or stale: settle what is left and try once more.
    if (existing) await settle(existing);
  }
};

/** The intent entity as a `transaction.write` callback receives it. */
type TxIntent = TxEntities["intent"];

/** The transaction item that commits the change: removes the intent, on condition that it is still the owner's and pending. */
export const commitItem = (tx: TxIntent, intent: Intent) =>
  tx
    .delete({ kind: intent.kind, subject: intent.subject })
    .where((i, { eq }) => `${eq(i.token, intent.token)} AND ${eq(i.state, "pending")}`)
    .commit();

/** The transaction item that checks the intent is still the owner's and pending (a change that must not land once given up). */
export const checkItem = (tx: TxIntent, intent: Intent) =>
  tx
    .check({ kind: intent.kind, subject: intent.subject })
    .where((i, { eq }) => `${eq(i.token, intent.token)} AND ${eq(i.state, "pending")}`)
    .commit();

/**
 * Gives the intent up: from now on its commit cannot happen. "gone" when the intent is no longer
 * this attempt's (it committed, or someone settled it): read the data to know which.
 */
export const abandon = async (intent: Intent): Promise<"aborting" | "gone"> => {
  try {
    await db()
      .entities.intent.patch({ kind: intent.kind, subject: intent.subject })
      .set({ state: "aborting" })
      .where((i, { eq }) => eq(i.token, intent.token))
      .go();
    return "aborting";
  } catch (e) {
    if (isConditionFailure(e)) return "gone";
    throw e;
  }
};

/** Removes the intent if it is still this attempt's; a later one for the same subject is left alone. */
export const finish = async (intent: Intent): Promise<void> => {
  try {
    await db()
      .entities.intent.delete({ kind: intent.kind, subject: intent.subject })
      .where((i, { eq }) => eq(i.token, intent.token))
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
};

/** Intents of a kind older than `olderThanSeconds`, oldest first: one Query on gsi1 per page. */
export const olderThan = async (kind: IntentKind, olderThanSeconds: number): Promise<Intent[]> => {
  const cutoff = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
  const { data } = await db().entities.intent.query.byAge({ kind }).lt({ createdAt: cutoff }).go({ pages: "all" });
  return data;
};

/**
 * Runs an undo step after the main work failed, with what is left of the request's budget, or a
 * small one of its own if that is spent. Its failure is swallowed: the caller reports the original error, and the intent left
 * behind tells the reconciler what is unfinished.
 */
export const cleanup = async (step: () => Promise<unknown>): Promise<void> => {
  try {
    await withDeadline(Math.max(remainingMs() ?? 0, CLEANUP_DEADLINE_MS), step);
  } catch {
    // the intent stays; the reconciler finishes the job
  }
};
