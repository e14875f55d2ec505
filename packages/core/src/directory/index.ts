import { z } from "zod";
import { Cursor, Limit, NextCursor, openCursor, sealCursor } from "../cursor.ts";

import { STATUSES } from "../dynamo/entities/user.ts";
import { db } from "../dynamo/service.ts";
import { toInfo } from "../user/info.ts";
import type { UserItem } from "../user/record.ts";
import { Info, Role, Status } from "../user/schema.ts";

export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "../cursor.ts";

/** The user directory: a filtered listing, oldest first, a page at a time. */

/** Where a page ended: the sort key of its last user. */
type Position = { createdAt: string; id: string };
const PositionPayload = z.tuple([z.iso.datetime(), z.uuid()]);

export const ListInput = z.object({
  status: Status.optional().describe("Only users with this status"),
  role: Role.optional().describe("Only users with this role"),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ListInput = z.infer<typeof ListInput>;

export const Page = z.object({
  users: z.array(Info),
  nextCursor: NextCursor,
});
export type Page = z.infer<typeof Page>;

type Filter = Pick<ListInput, "status" | "role">;
type StatusName = z.infer<typeof Status>;
type RoleName = z.infer<typeof Role>;

const before = (a: Position, b: Position) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

type Read = (after: Position | undefined, n: number) => Promise<UserItem[]>;

/** Up to `n` users after `after`, in (createdAt, id) order; ElectroDB pages on until it has them. */
const options = (n: number) => ({ count: n, limit: n });

const byStatus =
  (status: StatusName, role?: RoleName): Read =>
  async (after, n) => {
    const q = db().entities.user.query.byStatus({ status });
    const range = after ? q.gt(after) : q;
    const { data } = await (role ? range.where((u, { eq }) => eq(u.role, role)) : range).go(options(n));
    return data as UserItem[];
  };

const byRole =
  (role: RoleName, status?: StatusName): Read =>
  async (after, n) => {
    const q = db().entities.user.query.byRole({ role });
    const range = after ? q.gt(after) : q;
    const { data } = await (status ? range.where((u, { eq }) => eq(u.status, status)) : range).go(options(n));
    return data as UserItem[];
  };

/**
 * One ordered stream of users per partition the filters select, each a Query on an index (never
 * a Scan):
 * - status → gsi1 (`status` | `createdAt`,`id`); role → gsi2 (`role` | `createdAt`,`id`);
 * - both → the index of the rarer value, filtered by the other: the role index for MODERATOR and
 *   ADMIN, the status index for USER (the role nearly everybody has);
 * - neither → the three status partitions of gsi1, merged.
 */
const streams = ({ status, role }: Filter): Read[] => {
  if (status && role) return [role === "USER" ? byStatus(status, role) : byRole(role, status)];
  if (status) return [byStatus(status)];
  if (role) return [byRole(role)];
  return STATUSES.map((s) => byStatus(s));
};

const decode = (cursor: string, query: string): Position => {
  const [createdAt, id] = openCursor(cursor, query, PositionPayload);
  return { createdAt, id };
};

/**
 * A page of the directory, oldest first by `createdAt` (then id): at most `limit` users after the
 * cursor's position. Each stream is read for `limit + 1` users, so whether a next page exists is
 * known without another request; the merged streams are cut at `limit`.
 */
export const list = async (input: ListInput): Promise<Page> => {
  const filter = { status: input.status, role: input.role };
  const query = JSON.stringify([filter.status ?? null, filter.role ?? null]);
  const after = input.cursor ? decode(input.cursor, query) : undefined;
  const batches = await Promise.all(streams(filter).map((read) => read(after, input.limit + 1)));
  const merged = batches.flat().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const page = merged.slice(0, input.limit);
  const last = page[page.length - 1];
  const nextCursor = merged.length > input.limit && last ? sealCursor([last.createdAt, last.id], query) : null;
  return { users: page.map(toInfo), nextCursor };
};
