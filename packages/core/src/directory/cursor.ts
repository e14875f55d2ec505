import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { Config } from "../config.ts";
import { AppError } from "../errors.ts";

/** Where a page ended: the sort key of its last user. */
export type Position = { createdAt: string; id: string };

export const Cursor = z
  .string()
  .max(512, { abort: true })
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, "a cursor as returned in `nextCursor`")
  .describe("Opaque: the `nextCursor` of the previous page, with the same filters");

const PositionPayload = z.tuple([z.iso.datetime(), z.uuid()]);

let key: Buffer | undefined;
/**
 * The MAC key, derived from a secret of its own (`IamCursorSecret`): a cursor, which any `read`
 * caller holds, says nothing about any other secret, and cannot be forged without this one.
 */
const macKey = () => (key ??= Buffer.from(hkdfSync("sha256", Config.cursorSecret, "iam", "directory-cursor/v1", 32)));

const mac = (payload: string, query: string) => createHmac("sha256", macKey()).update(`${payload}\n${query}`).digest();

/**
 * `payload.mac`: the position, and an HMAC over it and the query's filters. A changed position, or
 * a cursor presented with other filters than it was issued for, fails the check.
 */
export const encodeCursor = (position: Position, query: string): string => {
  const payload = Buffer.from(JSON.stringify([position.createdAt, position.id])).toString("base64url");
  return `${payload}.${mac(payload, query).toString("base64url")}`;
};

export const decodeCursor = (cursor: string, query: string): Position => {
  const [payload = "", given = ""] = cursor.split(".");
  const expected = mac(payload, query);
  const presented = Buffer.from(given, "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    throw new AppError("BAD_REQUEST", "Invalid cursor: it was changed, or it belongs to a query with other filters");
  const parsed = PositionPayload.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Invalid cursor");
  const [createdAt, id] = parsed.data;
  return { createdAt, id };
};
