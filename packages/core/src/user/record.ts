import type { EntityItem } from "electrodb";
import type { UniqueKind } from "../dynamo/entities/unique.ts";
import type { UserEntity } from "../dynamo/entities/user.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { retryTransaction, type TxEntities, type TxReason, type TxWrite } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { readUser } from "./hot-read.ts";
import { toInfo } from "./info.ts";
import type { Info } from "./schema.ts";

/**
 * The user record: the one module that writes the `user` entity (and the one that reads it).
 * Every write answers with the API shape (`Info`) or says why it did not happen; a user that does
 * not exist is a 404 (ElectroDB's `patch` is conditional on the item existing).
 *
 * Every write goes through `commit` below and takes `also`: items committed in the same DynamoDB
 * transaction as the user's own — a registration's guards and activation code, a role change's
 * intent check, login's lockout counters, a deletion's tombstone — so that the change and what
 * must go with it land together or not at all. An audit event of the change (docs/EVENTS.md) is
 * one more such item, added in this one place.
 */
export type UserItem = EntityItem<typeof UserEntity>;

/** What a write may change. `add`/`delete` on `badges` add or take one element of the set atomically. */
export type Change = {
  set?: Partial<
    Pick<
      UserItem,
      | "status"
      | "role"
      | "lang"
      | "currency"
      | "avatarKey"
      | "dataJson"
      | "version"
      | "lastLoginAt"
      | "tokensValidAfter"
    >
  >;
  add?: { badges?: string[]; version?: number };
  delete?: { badges?: string[] };
  remove?: ("activationHash" | "avatarUrl")[];
};

/** What the stored user must still hold for a write to happen (optimistic concurrency). */
export type Expected = Partial<Pick<UserItem, "status" | "role" | "version">>;

/** Items for the user's transaction, built from the entities the transaction callback receives. */
export type Also = (tx: TxEntities) => TxWrite[];

/**
 * A transactional write's outcome. When DynamoDB cancels it, `reasons` says why per item: the
 * user's own first, then `also`'s in order (`ConditionalCheckFailed`: that item's condition did
 * not hold; for the user's item, it is absent or not as `Expected`).
 */
export type Outcome = { canceled: false } | { canceled: true; reasons: TxReason[] };

const notFound = () => new AppError("NOT_FOUND", "User not found");

// --- Reads -------------------------------------------------------------------------------------

/** One GetItem; `consistent` for a read that must see the caller's own write. */
export const find = (id: string, opts: { consistent?: boolean } = {}): Promise<UserItem | null> =>
  readUser(id, opts.consistent ?? false);

export const get = async (id: string, opts: { consistent?: boolean } = {}): Promise<UserItem> => {
  const user = await find(id, opts);
  if (!user) throw notFound();
  return user;
};

/** Lookup through a guard item: two GetItems (guard → user), never a Scan. */
export const getByUnique = async (kind: UniqueKind, value: string): Promise<UserItem> => {
  const { data: guard } = await db().entities.unique.get({ kind, value: value.toLowerCase() }).go();
  const user = guard ? await find(guard.userId) : null;
  if (!user) throw notFound();
  return user;
};

// --- Writes ------------------------------------------------------------------------------------

type Patch = ReturnType<ReturnType<ReturnType<typeof db>["entities"]["user"]["patch"]>["set"]>;
type TxPatch = ReturnType<ReturnType<TxEntities["user"]["patch"]>["set"]>;

/**
 * The change and its condition on a patch whose `set` clause is already given (ElectroDB's
 * builders collect clauses as they are called).
 */
const shape = <P extends Patch | TxPatch>(op: P, change: Change, expected: Expected = {}): P => {
  if (change.add) op.add(change.add);
  if (change.delete) op.delete(change.delete);
  if (change.remove) op.remove(change.remove);
  const { status, role, version } = expected;
  if (status !== undefined || role !== undefined || version !== undefined)
    op.where((u, { eq }) =>
      [
        status === undefined ? "" : eq(u.status, status),
        role === undefined ? "" : eq(u.role, role),
        version === undefined ? "" : eq(u.version, version),
      ]
        .filter(Boolean)
        .join(" AND "),
    );
  return op;
};

/**
 * THE write: the user's item and `also` in one TransactWriteItems (retried on a conflict with
 * another transaction, never on a refusal). Without `also`, callers use `update`, one UpdateItem.
 */
const commit = async (userItem: (tx: TxEntities) => TxWrite, also: Also | undefined): Promise<Outcome> => {
  const result = await retryTransaction(() =>
    db()
      .transaction.write((tx) => [userItem(tx), ...(also?.(tx) ?? [])])
      .go(),
  );
  return result.canceled ? { canceled: true, reasons: result.data } : { canceled: false };
};

/**
 * Applies `change` and answers with the user as it now is; 404 when there is no such user. One
 * UpdateItem (ALL_NEW); with `also`, one transaction and then a consistent read.
 */
export const update = async (id: string, change: Change, options: { also?: Also } = {}): Promise<Info> => {
  const updated = await updateIf(id, {}, change, options);
  if (!updated) throw notFound();
  return updated;
};

/**
 * `update` on condition that the stored user still holds `expected`: null when it does not (or
 * there is no such user), and nothing is written.
 */
export const updateIf = async (
  id: string,
  expected: Expected,
  change: Change,
  options: { also?: Also } = {},
): Promise<Info | null> => {
  if (options.also) {
    const outcome = await commit(
      (tx) => shape(tx.user.patch({ id }).set(change.set ?? {}), change, expected).commit(),
      options.also,
    );
    if (outcome.canceled) {
      if (outcome.reasons[0]?.code === "ConditionalCheckFailed") return null;
      throw new AppError("CONFLICT", "The user changed meanwhile; retry", {}, { cause: outcome.reasons });
    }
    return toInfo(await get(id, { consistent: true }));
  }
  try {
    const { data } = await shape(
      db()
        .entities.user.patch({ id })
        .set(change.set ?? {}),
      change,
      expected,
    ).go({ response: "all_new" });
    return toInfo(data as UserItem);
  } catch (e) {
    if (isConditionFailure(e)) return null;
    throw e;
  }
};

/**
 * `update`, answering with the user as it was BEFORE the change (ALL_OLD): for a change that must
 * clean up what it replaced (the previous avatar). 404 when there is no such user.
 */
export const replace = async (id: string, change: Change): Promise<UserItem> => {
  try {
    const { data } = await shape(
      db()
        .entities.user.patch({ id })
        .set(change.set ?? {}),
      change,
    ).go({ response: "all_old" });
    return data as UserItem;
  } catch (e) {
    if (isConditionFailure(e)) throw notFound();
    throw e;
  }
};

/**
 * The change and `also` in one transaction, for the writers that must know which item a
 * cancellation came from (login's counters, a role change's intent, an activation's code).
 */
export const updateWith = (id: string, change: Change, expected: Expected, also: Also): Promise<Outcome> =>
  commit((tx) => shape(tx.user.patch({ id }).set(change.set ?? {}), change, expected).commit(), also);

/** A new user and `also` (its guards, its activation code, its intent) in one transaction, on condition that the id is new. */
export const create = (item: NewUser, also: Also): Promise<Outcome> =>
  commit((tx) => tx.user.create(item).commit(), also);

/** The user exactly as `create` stores it (defaults applied), as the API shows it. */
export const created = (item: NewUser): Info =>
  toInfo(db().entities.user.parse({ Item: db().entities.user.create(item).params().Item }).data as UserItem);

export type NewUser = Parameters<ReturnType<typeof db>["entities"]["user"]["create"]>[0];

/** Removes the user, on condition that it exists, with `also` (its guards, its code, the deletion's tombstone). */
export const remove = (id: string, also: Also): Promise<Outcome> =>
  commit(
    (tx) =>
      tx.user
        .delete({ id })
        .where((u, { exists }) => exists(u.id))
        .commit(),
    also,
  );
