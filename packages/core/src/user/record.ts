import type { EntityItem } from "electrodb";
import type { UniqueKind } from "../dynamo/entities/unique.ts";
import type { UserEntity } from "../dynamo/entities/user.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { retryTransaction, type TxEntities, type TxReason, type TxWrite } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import type { EventData, EventType } from "../events/catalogue.ts";
import { type Audit, create as createEvent, type EventInput } from "../events/event.ts";
import { put as putEvent } from "../events/store.ts";
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
 * must go with it land together or not at all. The change's events (docs/EVENTS.md) are added in
 * this one place: a write given a `Recording` commits one event item per note, about this user,
 * stamped with the recording's audit (actor, source IP), in the same transaction as the change.
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

/**
 * What the stored user must still hold for a write to happen (optimistic concurrency): these
 * values, and — for a write that must change something or nothing — a badge it has or lacks.
 */
export type Expected = Partial<Pick<UserItem, "status" | "role" | "version" | "lang" | "currency" | "avatarKey">> & {
  hasBadge?: string;
  lacksBadge?: string;
};

/** One event a write records about its user: a catalogue type and its data. */
export type Note = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** The events a write records, and who is making the change (`Audit`: actor, source IP). */
export type Recording = { audit: Audit; events: readonly Note[] };

/** How a write is committed: with `also` (items of the same transaction) and/or `record` (its events). */
export type WriteOptions = { also?: Also; record?: Recording };

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
  const { status, role, version, lang, currency, avatarKey, hasBadge, lacksBadge } = expected;
  if (Object.values(expected).some((v) => v !== undefined))
    op.where((u, { eq, contains, notContains, notExists }) =>
      [
        status === undefined ? "" : eq(u.status, status),
        role === undefined ? "" : eq(u.role, role),
        version === undefined ? "" : eq(u.version, version),
        lang === undefined ? "" : eq(u.lang, lang),
        currency === undefined ? "" : eq(u.currency, currency),
        // No avatar: "" as stored since `avatarKey` exists, or no attribute in an older item.
        avatarKey === undefined
          ? ""
          : avatarKey === ""
            ? `(${eq(u.avatarKey, "")} OR ${notExists(u.avatarKey)})`
            : eq(u.avatarKey, avatarKey),
        hasBadge === undefined ? "" : contains(u.badges, hasBadge),
        lacksBadge === undefined ? "" : notContains(u.badges, lacksBadge),
      ]
        .filter(Boolean)
        .join(" AND "),
    );
  return op;
};

/**
 * THE write: the user's item, `also` and the recorded events in one TransactWriteItems (retried on
 * a conflict with another transaction, never on a refusal). The events are made once, before the
 * first try, so a retry writes the same events again (same ids), never a second set. They go last
 * and are plain puts, which cannot be refused: a cancellation's `reasons` name the user's item and
 * `also`'s only. Without `also` or events, callers use `update`, one UpdateItem.
 */
const commit = async (
  userId: string,
  userItem: (tx: TxEntities) => TxWrite,
  { also, record }: WriteOptions,
): Promise<Outcome> => {
  const events = (record?.events ?? []).map((note) =>
    createEvent({
      type: note.type,
      subject: { userId },
      actor: record?.audit.actor ?? { type: "system" },
      sourceIp: record?.audit.sourceIp,
      data: note.data,
    } as EventInput<typeof note.type>),
  );
  let items = 0;
  const result = await retryTransaction(() =>
    db()
      .transaction.write((tx) => {
        const own = [userItem(tx), ...(also?.(tx) ?? [])];
        items = own.length;
        return [...own, ...events.map(putEvent)];
      })
      .go(),
  );
  return result.canceled ? { canceled: true, reasons: result.data.slice(0, items) } : { canceled: false };
};

/**
 * Applies `change` and answers with the user as it now is; 404 when there is no such user. One
 * UpdateItem (ALL_NEW); with `also` or events to record, one transaction and then a consistent read.
 */
export const update = async (id: string, change: Change, options: WriteOptions = {}): Promise<Info> => {
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
  options: WriteOptions = {},
): Promise<Info | null> => {
  if (options.also || options.record?.events.length) {
    const outcome = await commit(
      id,
      (tx) => shape(tx.user.patch({ id }).set(change.set ?? {}), change, expected).commit(),
      options,
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
 * The change and `also` in one transaction, for the writers that must know which item a
 * cancellation came from (login's counters, a role change's intent, an activation's code).
 */
export const updateWith = (
  id: string,
  change: Change,
  expected: Expected,
  also: Also,
  record?: Recording,
): Promise<Outcome> =>
  commit(id, (tx) => shape(tx.user.patch({ id }).set(change.set ?? {}), change, expected).commit(), { also, record });

/** A new user and `also` (its guards, its activation code, its intent) in one transaction, on condition that the id is new. */
export const create = (item: NewUser & { id: string }, also: Also, record?: Recording): Promise<Outcome> =>
  commit(item.id, (tx) => tx.user.create(item).commit(), { also, record });

/** The user exactly as `create` stores it (defaults applied), as the API shows it. */
export const created = (item: NewUser): Info =>
  toInfo(db().entities.user.parse({ Item: db().entities.user.create(item).params().Item }).data as UserItem);

export type NewUser = Parameters<ReturnType<typeof db>["entities"]["user"]["create"]>[0];

/** Removes the user, on condition that it exists, with `also` (its guards, its code, the deletion's tombstone). */
export const remove = (id: string, also: Also, record?: Recording): Promise<Outcome> =>
  commit(
    id,
    (tx) =>
      tx.user
        .delete({ id })
        .where((u, { exists }) => exists(u.id))
        .commit(),
    { also, record },
  );
