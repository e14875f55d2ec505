import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { applyMergePatch } from "./merge-patch.ts";
import { get, update, updateIf } from "./record.ts";
import type { Info } from "./schema.ts";

/** The `data` blob's limit, serialized as JSON (UTF-8 bytes). */
export const DATA_LIMIT_BYTES = 32 * 1024;
const MAX_ATTEMPTS = 30;

export type Blob = Record<string, unknown>;

/** Nesting deeper than this is refused (the merge is recursive; nothing sane needs more). */
export const DATA_MAX_DEPTH = 32;

const depthOf = (value: unknown): number => {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) max = d;
    if (max > DATA_MAX_DEPTH) break;
    if (v !== null && typeof v === "object") for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
};

/** Checks the input before any recursive work on it, returns the blob's JSON text within the size limit. */
const serialize = (data: Blob): string => {
  if (depthOf(data) > DATA_MAX_DEPTH)
    throw new AppError("BAD_REQUEST", `data may nest at most ${DATA_MAX_DEPTH} levels deep`);
  const json = JSON.stringify(data);
  const bytes = Buffer.byteLength(json);
  if (bytes > DATA_LIMIT_BYTES)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `data would be ${bytes} bytes; the limit is ${DATA_LIMIT_BYTES} bytes of JSON`,
    );
  return json;
};

/**
 * PUT: replaces the blob; bumps `version` so that a merge racing with it retries on the new value.
 * Its event names the blob's top-level keys, never their values.
 */
export const replaceData = async (id: string, data: Blob, audit: Audit = SYSTEM): Promise<Info> =>
  update(
    id,
    { set: { dataJson: serialize(data) }, add: { version: 1 } },
    { record: { audit, events: [{ type: "user.data_replaced", data: { keys: Object.keys(data) } }] } },
  );

/**
 * Merges of one user made by this process run one after another: racing each other optimistically
 * they would mostly lose and retry (20 at once took seconds, past the request deadline), while in
 * a queue each needs one read and one write. Across processes the `version` condition still rules.
 */
const queues = new Map<string, Promise<unknown>>();
const oneAtATime = <T>(key: string, work: () => Promise<T>): Promise<T> => {
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
};

/**
 * PATCH: JSON Merge Patch (RFC 7396; `null` deletes a key; any key, see merge-patch.ts), applied with optimistic locking: read
 * the blob and its `version`, write the merge on condition that `version` is unchanged, and on a
 * lost race re-read and re-apply. Concurrent merges therefore all land, none overwrites another.
 */
export const mergeData = (id: string, patch: Blob, audit: Audit = SYSTEM): Promise<Info> =>
  oneAtATime(id, () => mergeOnce(id, patch, audit));

const mergeOnce = async (id: string, patch: Blob, audit: Audit): Promise<Info> => {
  const record = { audit, events: [{ type: "user.data_merged", data: { keys: Object.keys(patch) } }] } as const;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    serialize(patch);
    const user = await get(id, { consistent: true });
    const merged = applyMergePatch(JSON.parse(user.dataJson), patch) as Blob;
    const dataJson = serialize(merged);
    const updated = await updateIf(
      id,
      { version: user.version },
      { set: { dataJson, version: user.version + 1 } },
      { record },
    );
    if (updated) return updated;
    // Another write of the blob came first (or the user is gone: the next read says so).
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
  }
  throw new AppError("CONFLICT", "Too many concurrent updates of this user's data; retry", { retryAfterSeconds: 1 });
};
