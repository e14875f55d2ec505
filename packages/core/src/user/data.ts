import jsonMergePatch from "json-merge-patch";
import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "./mapper.ts";
import type { Info } from "./schema.ts";
import { getById } from "./store.ts";

/** The `data` blob's limit, serialized as JSON (UTF-8 bytes). */
export const DATA_LIMIT_BYTES = 32 * 1024;
const MAX_ATTEMPTS = 30;

export type Blob = Record<string, unknown>;

const checkSize = (data: Blob) => {
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > DATA_LIMIT_BYTES)
    throw new AppError("PAYLOAD_TOO_LARGE", `data would be ${bytes} bytes; the limit is ${DATA_LIMIT_BYTES} bytes of JSON`);
};

const notFound = () => new AppError("NOT_FOUND", "User not found");

/** PUT: replaces the blob; bumps `version` so that a merge racing with it retries on the new value. */
export const replaceData = async (id: string, data: Blob): Promise<Info> => {
  checkSize(data);
  try {
    const { data: updated } = await db()
      .entities.user.patch({ id })
      .set({ data })
      .add({ version: 1 })
      .go({ response: "all_new" });
    return toInfo(updated as UserItem);
  } catch (e) {
    if (isConditionFailure(e)) throw notFound();
    throw e;
  }
};

/**
 * PATCH: JSON Merge Patch (RFC 7396; `null` deletes a key), applied with optimistic locking: read
 * the blob and its `version`, write the merge on condition that `version` is unchanged, and on a
 * lost race re-read and re-apply. Concurrent merges therefore all land, none overwrites another.
 */
export const mergeData = async (id: string, patch: Blob): Promise<Info> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const user = await getById(id, { consistent: true });
    const merged = jsonMergePatch.apply(structuredClone(user.data ?? {}), patch) as Blob;
    checkSize(merged);
    try {
      const { data: updated } = await db()
        .entities.user.patch({ id })
        .set({ data: merged, version: user.version + 1 })
        .where((u, { eq }) => eq(u.version, user.version))
        .go({ response: "all_new" });
      return toInfo(updated as UserItem);
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
  throw new AppError("CONFLICT", "Too many concurrent updates of this user's data; retry", { retryAfterSeconds: 1 });
};
