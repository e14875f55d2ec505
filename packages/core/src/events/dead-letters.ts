import { monotonicFactory } from "ulid";
import { z } from "zod";
import { Cursor, Limit, NextCursor, openCursor, sealCursor } from "../cursor.ts";

import { db } from "../dynamo/service.ts";
import { Event } from "./event.ts";
import type { Delivery } from "./webhooks.ts";

export { MAX_PAGE_SIZE } from "../cursor.ts";

/** How long a dead letter stays listable (its TTL). Long enough to notice and replay, short enough to forget a deleted user. */
export const DEAD_LETTER_RETENTION_DAYS = 30;

export const DeadLetter = z
  .object({
    id: z.string().describe("ULID taken when the delivery was given up"),
    url: z.string().describe("The receiver, without user info or query string (they may hold credentials)"),
    attempts: z.number().int().positive(),
    firstAttemptAt: z.iso.datetime(),
    failedAt: z.iso.datetime(),
    lastFailure: z.string().describe("What the last attempt got: `HTTP 503`, `no answer within 10 s`, `ECONNREFUSED`…"),
    event: Event,
  })
  .meta({ id: "WebhookDeadLetter" });
export type DeadLetter = z.infer<typeof DeadLetter>;

const nextId = monotonicFactory();

/** The URL as a dead letter shows it: credentials (user info, query) left out. */
export const redactUrl = (url: string): string => {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return u.href;
};

/** Keeps a delivery that ran out of retries, for an administrator to list (and replay by hand). */
export const record = async (delivery: Delivery, lastFailure: string, now = Date.now()): Promise<DeadLetter> => {
  const deadLetter: DeadLetter = {
    id: nextId(now),
    url: redactUrl(delivery.url),
    attempts: delivery.attempt,
    firstAttemptAt: delivery.firstAttemptAt,
    failedAt: new Date(now).toISOString(),
    lastFailure,
    event: delivery.event,
  };
  await db()
    .entities.deadLetter.put({
      id: deadLetter.id,
      payload: JSON.stringify(deadLetter),
      expiresAt: Math.floor(now / 1000) + DEAD_LETTER_RETENTION_DAYS * 24 * 3600,
    })
    .go();
  return deadLetter;
};

export const ListInput = z.object({
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ListInput = z.input<typeof ListInput>;

export const Page = z.object({
  deadLetters: z.array(DeadLetter),
  nextCursor: NextCursor,
});
export type Page = z.infer<typeof Page>;

const QUERY = JSON.stringify(["webhook-dead-letters/v1"]);
const Position = z.tuple([z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)]);

/** Dead letters, newest first: one Query on their partition, with the directory's signed cursor. */
export const list = async (input: ListInput = {}): Promise<Page> => {
  const { limit, cursor } = ListInput.parse(input);
  const before = cursor ? openCursor(cursor, QUERY, Position)[0] : undefined;
  const base = db().entities.deadLetter.query.all({ kind: "webhook" });
  const { data } = await (before ? base.lt({ id: before }) : base).go({
    order: "desc",
    count: limit + 1,
    limit: limit + 1,
  });
  const page = data.slice(0, limit).map((item) => DeadLetter.parse(JSON.parse(item.payload)));
  const last = page[page.length - 1];
  return { deadLetters: page, nextCursor: data.length > limit && last ? sealCursor([last.id], QUERY) : null };
};
