import { createHash } from "node:crypto";
import { Config } from "../config.ts";
import { db } from "../dynamo/service.ts";
import type { TxEntities, TxReason } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { type Recording, updateWith } from "../user/record.ts";
import { addressKey } from "./client-address.ts";
import { recordFailure } from "./failures.ts";

/**
 * Brute-force lockout, counted BEFORE a password is checked: each attempt reserves a place in two
 * counters in one DynamoDB transaction — the account from this client address (at most
 * `maxFailures` per window) and the account from everywhere (at most `accountMaxFailures`) — each
 * on condition that it has room. So however many attempts race (in parallel, or as calls of one
 * tRPC batch), at most the limit reach Cognito; the others get 429 with `Retry-After`. An attempt
 * that fails keeps its place; one that was not a failure gives it back.
 *
 * Counters are keyed by hashes: the table keeps no list of the e-mails or addresses tried.
 */
const hash = (s: string) => createHash("sha256").update(s).digest("base64url");
const nowS = () => Math.floor(Date.now() / 1000);

/**
 * Why a transaction item was cancelled, as ElectroDB reports it: `item` is the counter as it was
 * (ReturnValuesOnConditionCheckFailure ALL_OLD). ElectroDB cannot type this for items built in a
 * map, hence the one cast in `reasonsOf`.
 */
type Cancellation = {
  code?: string;
  item?: { failures?: number; windowStart?: number; lockedWindow?: number } | null;
};
const reasonsOf = (data: unknown): Cancellation[] => data as Cancellation[];

/** A reserved attempt: the two counters it holds a place in (per address, per account). */
export type Attempt = { counters: readonly [string, string] };

const locked = (retryAfterSeconds: number) =>
  new AppError("TOO_MANY_REQUESTS", "Too many failed logins; try again later", {
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
  });

/** How a counter is written: add one to the open window, or open a new window over an expired one. */
type Reserve = "add" | "restart";
const ROUNDS = 3;

/**
 * Reserves an attempt for `email` from `clientIp`, or refuses with 429. One TransactWrite in the
 * common case; a counter whose window has passed is restarted in a second one. A transaction that
 * DynamoDB cancels for a concurrent write to the same counters is a 429 as well (Retry-After 1):
 * only the racing attempts are refused, never more than the limit let through. The first refusal
 * of a window by a counter's limit records `session.locked_out` (which counter: `address` or
 * `account`); later refusals in that window, and one for a race, record nothing (`markLocked`).
 */
export const reserve = async (email: string, clientIp: string | undefined, audit: Audit = SYSTEM): Promise<Attempt> => {
  const { maxFailures, accountMaxFailures, windowSeconds } = Config.lockout;
  const account = email.toLowerCase();
  const counters = [hash(`${account}\n${addressKey(clientIp)}`), hash(account)] as const;
  const limits = [maxFailures, accountMaxFailures];
  const forms: Reserve[] = ["add", "add"];
  for (let round = 0; round < ROUNDS; round++) {
    const now = nowS();
    const cutoff = now - windowSeconds;
    const fresh = { windowStart: now, expiresAt: now + windowSeconds };
    const result = await db()
      .transaction.write(({ loginFailure }) =>
        counters.map((counter, i) =>
          forms[i] === "add"
            ? loginFailure
                .upsert({ counter })
                .add({ failures: 1 })
                .ifNotExists(fresh)
                .where(
                  (c, { notExists, gt, lt }) =>
                    `${notExists(c.failures)} OR (${gt(c.windowStart, cutoff)} AND ${lt(c.failures, limits[i] ?? 0)})`,
                )
                .commit({ response: "all_old" })
            : loginFailure
                .put({ counter, failures: 1, ...fresh })
                .where((c, { lte }) => lte(c.windowStart, cutoff))
                .commit({ response: "all_old" }),
        ),
      )
      .go();
    if (!result.canceled) return { counters };
    let retryAfter = 0;
    let scope: "address" | "account" = "address";
    let full: { counter: string; old: Cancellation["item"] } | undefined;
    let conflict = false;
    reasonsOf(result.data).forEach((reason, i) => {
      if (reason.code === "TransactionConflict") conflict = true;
      if (reason.code !== "ConditionalCheckFailed") return;
      const old = reason.item;
      if (!old || old.windowStart === undefined) forms[i] = "add";
      else if (old.windowStart <= cutoff) forms[i] = "restart";
      else if ((old.failures ?? 0) >= (limits[i] ?? 0)) {
        const wait = old.windowStart + windowSeconds - now;
        if (wait > retryAfter) {
          retryAfter = wait;
          scope = i === 0 ? "address" : "account";
          full = { counter: i === 0 ? counters[0] : counters[1], old };
        }
      } else forms[i] = "add";
    });
    if (retryAfter > 0) {
      if (full && (await markLocked(full.counter, full.old)))
        await recordFailure(
          email,
          { type: "session.locked_out", data: { scope, retryAfterSeconds: retryAfter } },
          audit,
        );
      throw locked(retryAfter);
    }
    if (conflict) throw locked(1);
  }
  throw locked(1);
};

/**
 * Claims the right to record the lockout of a full counter's window: true for the one refusal
 * that marks the window (`lockedWindow` = its `windowStart`, on condition that no other has), false
 * for every other. A refusal sees the counter as it was (ALL_OLD), so once the window is marked the
 * later refusals cost no request at all; so an attacker hammering a locked account writes neither
 * events nor webhooks, only the refused reservation. Best effort like the event itself: a failed
 * mark records nothing and the answer (429) stands.
 */
const markLocked = async (counter: string, old: Cancellation["item"]): Promise<boolean> => {
  const windowStart = old?.windowStart;
  if (windowStart === undefined || old?.lockedWindow === windowStart) return false;
  try {
    await db()
      .entities.loginFailure.patch({ counter })
      .set({ lockedWindow: windowStart })
      .where(
        (c, { eq, ne, notExists }) =>
          `${eq(c.windowStart, windowStart)} AND (${notExists(c.lockedWindow)} OR ${ne(c.lockedWindow, windowStart)})`,
      )
      .go({ response: "none" });
    return true;
  } catch {
    // The condition failed (another refusal marked the window first), or the write did: no event.
    return false;
  }
};

/** How a place is given back: delete a counter that holds only this attempt, else take one off. */
type GiveBack = "delete" | "subtract" | "skip";

/**
 * Gives the attempt's places back (it was not a failure: the right password, or no verdict at
 * all), in one TransactWrite together with the user's `lastLoginAt` when `lastLogin` is given —
 * login's one write on success, which also records the login's event (`record`). Deleting a
 * counter that holds only this attempt (the usual case) leaves no expired window behind for the
 * next login to restart. Returns false when the user's record no longer exists (the places are
 * given back all the same, and no event is written).
 *
 * When every round is cancelled (concurrent writes to the counters), the login has still
 * succeeded — Cognito has issued its tokens — so its `lastLoginAt` and event are written on their
 * own after (`recordLogin`): a login is never missing from the audit trail. The places it could
 * not give back stay counted until their window ends.
 */
export const giveBack = async (
  attempt: Attempt,
  lastLogin?: { userId: string; at: string; record?: Recording },
): Promise<boolean> => {
  const forms: GiveBack[] = ["delete", "delete"];
  let userExists = true;
  let loginWritten = false;
  for (let round = 0; round < ROUNDS; round++) {
    const touchUser = lastLogin !== undefined && userExists;
    const active = attempt.counters
      .map((counter, i) => ({ counter, form: forms[i] ?? "skip", i }))
      .filter((c) => c.form !== "skip");
    if (active.length === 0 && !touchUser) break;
    const counters = (tx: TxEntities) =>
      active.map(({ counter, form }) =>
        form === "delete"
          ? tx.loginFailure
              .delete({ counter })
              .where((c, { eq }) => eq(c.failures, 1))
              .commit({ response: "all_old" })
          : tx.loginFailure
              .patch({ counter })
              .subtract({ failures: 1 })
              .where((c, { gt }) => gt(c.failures, 1))
              .commit({ response: "all_old" }),
      );
    // With the login's `lastLoginAt`, the user record's writer commits the counters beside it.
    let reasons: TxReason[] | undefined;
    if (touchUser && lastLogin) {
      const outcome = await updateWith(
        lastLogin.userId,
        { set: { lastLoginAt: lastLogin.at } },
        {},
        counters,
        lastLogin.record,
      );
      reasons = outcome.canceled ? outcome.reasons : undefined;
    } else {
      const result = await db().transaction.write(counters).go();
      reasons = result.canceled ? result.data : undefined;
    }
    if (!reasons) {
      loginWritten = touchUser;
      break;
    }
    const all = reasonsOf(reasons);
    if (touchUser && all[0]?.code === "ConditionalCheckFailed") userExists = false;
    (touchUser ? all.slice(1) : all).forEach((reason, k) => {
      const i = active[k]?.i;
      if (i === undefined || reason.code !== "ConditionalCheckFailed") return;
      const failures = reason.item?.failures;
      forms[i] = failures === undefined || failures < 1 ? "skip" : failures === 1 ? "delete" : "subtract";
    });
    // A transaction cancelled only by a concurrent one (TransactionConflict) is tried again, a little later.
    if (all.every((r) => r.code !== "ConditionalCheckFailed"))
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** round));
  }
  if (lastLogin && userExists && !loginWritten) return recordLogin(lastLogin);
  return userExists;
};

/**
 * The login's `lastLoginAt` and event without the counters (giveBack could not commit them
 * together). False when the user no longer exists; a write that still cannot commit is a 503:
 * better no answer than tokens whose login is missing from the trail.
 */
const recordLogin = async (lastLogin: { userId: string; at: string; record?: Recording }): Promise<boolean> => {
  const outcome = await updateWith(
    lastLogin.userId,
    { set: { lastLoginAt: lastLogin.at } },
    {},
    () => [],
    lastLogin.record,
  );
  if (!outcome.canceled) return true;
  if (outcome.reasons[0]?.code === "ConditionalCheckFailed") return false;
  throw new AppError("SERVICE_UNAVAILABLE", "Could not record the login; retry", { retryAfterSeconds: 1 });
};

/** Ends the account-wide window (a password reset proves the owner: the guessing so far is moot). */
export const clearAccount = async (email: string): Promise<void> => {
  await db()
    .entities.loginFailure.delete({ counter: hash(email.toLowerCase()) })
    .go();
};
