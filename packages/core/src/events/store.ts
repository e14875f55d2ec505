import type { Entity, TransactWriteEntity } from "electrodb";
import { z } from "zod";
import { Config } from "../config.ts";
import { Cursor, Limit, NextCursor, openCursor, sealCursor } from "../cursor.ts";

import type { EventEntity } from "../dynamo/entities/event.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { EVENT_TYPES, type EventType, SECURITY_EVENT_TYPES } from "./catalogue.ts";
import { Event, subjectKey, subjectOf, type Subject } from "./event.ts";

export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "../cursor.ts";

const DAY_SECONDS = 24 * 3600;

/** The stored item of an event; its TTL is the retention period (`IAM_EVENT_RETENTION_DAYS`, default 400). */
export const toItem = (event: Event) => ({
  subject: subjectKey(subjectOf(event)),
  id: event.id,
  type: event.type,
  at: event.at,
  payload: JSON.stringify(event),
  expiresAt: Math.floor(Date.parse(event.at) / 1000) + Math.round(Config.eventRetentionDays * DAY_SECONDS),
});

/** The event an item (or a stream record's new image) holds. */
export const fromPayload = (payload: string): Event => Event.parse(JSON.parse(payload));

/**
 * The event's write as one element of a transaction, for the writer of the change it records, so
 * that the change and its event are committed together or not at all. For a user, that writer is
 * user/record.ts, which makes and puts the events itself; its callers only name them:
 *
 * ```ts
 * update(id, change, { record: { audit, events: [{ type: "user.badge_issued", data: { badge } }] } })
 * ```
 *
 * Other writers (API keys, reset codes) put it in their own transaction. A plain put: a retried
 * transaction writes the same event again, unchanged.
 */
export const put = (event: Event) => inTransaction().put(toItem(event)).commit();

type TransactionEntity<E> =
  E extends Entity<infer A, infer F, infer C, infer S> ? TransactWriteEntity<A, F, C, S> : never;
/**
 * The event entity as `transaction.write`'s callback sees it. ElectroDB hands that callback the
 * service's own entity objects (electrodb/src/transaction.js: `fn(getEntities())`); only their
 * static type differs, and that type is what offers `commit()`. So the writer can take the event's
 * commit item from here and put it beside its own.
 */
const inTransaction = () => db().entities.event as unknown as TransactionEntity<typeof EventEntity>;

/**
 * Writes an event on its own. Only for the failure events the issue allows as a follow-up write
 * (`session.login_failed`, `session.locked_out`, `password.reset_requested`): a failed attempt
 * changes no record of its own to put the event beside, only the lockout's reservation, and
 * losing such an event to a crash between the two writes is accepted (docs/EVENTS.md).
 */
export const record = async (event: Event): Promise<void> => {
  await db().entities.event.put(toItem(event)).go();
};

export const ListOptions = z.object({
  type: z
    .enum(EVENT_TYPES as [EventType, ...EventType[]])
    .optional()
    .describe("Only events of this type"),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ListOptions = z.input<typeof ListOptions>;

/** `ListOptions` for a user's own security log: `type` is one of the `SECURITY_EVENT_TYPES`. */
export const SecurityListOptions = ListOptions.extend({
  type: z
    .enum(SECURITY_EVENT_TYPES as [EventType, ...EventType[]])
    .optional()
    .describe("Only events of this type (logins, lockouts, passwords, sessions)"),
});

export const Page = z.object({
  events: z.array(Event),
  nextCursor: NextCursor,
});
export type Page = z.infer<typeof Page>;

const Position = z.tuple([z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)]);

/**
 * A subject's events, newest first, `limit` a page (at most 100), optionally of one type. Each page
 * is one Query — on the primary index (subject | id) or, with a type, on gsi1 (subject+type | id) —
 * read backwards from before the cursor's id, for `limit + 1` events so the last page is known
 * without another request. Never a Scan.
 *
 * The cursor is the directory's (cursor.ts): the last id of the page, MAC'd with the
 * subject and the type, so a changed cursor or one presented for another subject or type is a 400.
 */
export const list = (subject: Subject, options: ListOptions = {}): Promise<Page> => listOf(subject, options);

/**
 * A user's own security log (`/public/user/me/events`): `list`, of the `SECURITY_EVENT_TYPES`
 * only (logins, lockouts, passwords, sessions). One type: as `list`, and another type is a 400.
 * All of them: one Query on gsi2, which holds the security events only (the entity's sparse
 * `bySecurity` index), so a page is full and costs one request however many other events the user
 * has. The cursor is scoped to this listing, so one from `list` does not open here.
 */
export const listSecurity = (userId: string, options: ListOptions = {}): Promise<Page> => {
  const { type } = ListOptions.parse(options);
  if (type !== undefined && !SECURITY_EVENT_TYPES.includes(type))
    throw new AppError("BAD_REQUEST", `The security log holds ${SECURITY_EVENT_TYPES.join(", ")} only`, {
      field: "type",
    });
  return listOf({ userId }, options, true);
};

const listOf = async (subject: Subject, options: ListOptions, security = false): Promise<Page> => {
  const { type, limit, cursor } = ListOptions.parse(options);
  const key = subjectKey(subject);
  const query = JSON.stringify([security ? "events/security/v1" : "events/v1", key, type ?? null]);
  const before = cursor ? openCursor(cursor, query, Position)[0] : undefined;
  const events = db().entities.event.query;
  const base = type
    ? events.bySubjectType({ subject: key, type })
    : security
      ? events.bySecurity({ subject: key })
      : events.bySubject({ subject: key });
  const range = before ? base.lt({ id: before }) : base;
  const { data } = await range.go({ order: "desc", count: limit + 1, limit: limit + 1 });
  const page = data.slice(0, limit).map((item) => fromPayload(item.payload));
  const last = page[page.length - 1];
  return { events: page, nextCursor: data.length > limit && last ? sealCursor([last.id], query) : null };
};
