import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { Config } from "./config.ts";
import { AppError } from "./errors.ts";

export const Cursor = z
  .string()
  .max(512, { abort: true })
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, "a cursor as returned in `nextCursor`")
  .describe("Opaque: the `nextCursor` of the previous page, with the same filters");

/** Page sizes every listing shares (the directory, events, dead letters). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A listing's `limit` input: 1 to `MAX_PAGE_SIZE`, `DEFAULT_PAGE_SIZE` when absent. */
export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .describe(`Page size, at most ${MAX_PAGE_SIZE}`);

/** A page's `nextCursor`. */
export const NextCursor = z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page");

let key: Buffer | undefined;
/**
 * The MAC key, derived from a secret of its own (`IamCursorSecret`): a cursor, which any `read`
 * caller holds, says nothing about any other secret, and cannot be forged without this one.
 */
const macKey = () => (key ??= Buffer.from(hkdfSync("sha256", Config.cursorSecret, "iam", "directory-cursor/v1", 32)));

const mac = (payload: string, query: string) => createHmac("sha256", macKey()).update(`${payload}\n${query}`).digest();

/**
 * `payload.mac`: a position (a list of strings: the sort key where a page ended), and an HMAC over
 * it and `query`, which names the listing and its filters. A changed position, or a cursor presented
 * to another listing or with other filters than it was issued for, fails the check: 400.
 * The directory's, the event listings' and the dead letters' cursors share this format and this
 * key; their `query` strings cannot coincide (each names its listing in its own).
 */
export const sealCursor = (position: readonly string[], query: string): string => {
  const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
  return `${payload}.${mac(payload, query).toString("base64url")}`;
};

/** The position a cursor sealed, once its MAC checks; `shape` says what a position must look like. */
export const openCursor = <T>(cursor: string, query: string, shape: z.ZodType<T>): T => {
  const [payload = "", given = ""] = cursor.split(".");
  const expected = mac(payload, query);
  const presented = Buffer.from(given, "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    throw new AppError("BAD_REQUEST", "Invalid cursor: it was changed, or it belongs to a query with other filters");
  const parsed = shape.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Invalid cursor");
  return parsed.data;
};
