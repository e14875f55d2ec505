import { toInfo } from "./info.ts";
import * as Record from "./record.ts";
import type { Info } from "./schema.ts";
import type { UniqueKind } from "../dynamo/entities/unique.ts";

/**
 * Users: the profile the API shows (`Info`), registration and activation, lookups, status, the
 * `data` blob and deletion. Everything here answers with `Info`; the stored item stays inside
 * core (user/record.ts is its one reader and writer).
 */
export * from "./schema.ts";
export { register } from "./register.ts";
export { activate } from "./activate.ts";
export { setStatus } from "./status.ts";
export { replaceData, mergeData, DATA_LIMIT_BYTES, DATA_MAX_DEPTH, type Blob } from "./data.ts";
export { remove } from "./delete.ts";
export { handleFromName, handleKey } from "./handle.ts";
export { applyMergePatch } from "./merge-patch.ts";

/** The user, or null; `consistent` for a read that must see the caller's own write. */
export const findById = async (id: string, opts: { consistent?: boolean } = {}): Promise<Info | null> => {
  const item = await Record.find(id, opts);
  return item ? toInfo(item) : null;
};

/** The user; 404 when there is none. */
export const getById = async (id: string, opts: { consistent?: boolean } = {}): Promise<Info> =>
  toInfo(await Record.get(id, opts));

/** The user with this name, e-mail or handle (any case; a handle as `handleKey` gives it); 404 when there is none. */
export const getByUnique = async (kind: UniqueKind, value: string): Promise<Info> =>
  toInfo(await Record.getByUnique(kind, value));
