import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Context } from "cognito-local/lib/services/context.js";
import type { DataStore } from "cognito-local/lib/services/dataStore/dataStore.js";
import type { DataStoreFactory } from "cognito-local/lib/services/dataStore/factory.js";

/**
 * cognito-local's storage, made durable. Its own store (stormdb) rewrites the whole JSON file in
 * place on every change, several rewrites at once under concurrent requests: overlapping writes
 * leave a file with trailing garbage, and a stop or crash in between leaves it torn, after which
 * every credential is gone. Here one file has at most one write in flight; changes made while it
 * runs share the next one; each write goes to a temp file that is fsynced and then renamed over
 * the file (and the folder fsynced), so the file on disk is always a whole, earlier or later,
 * state. A change is acknowledged only once a write that includes it is on disk.
 *
 * The file format is stormdb's (dates as ISO strings in keys ending in "Date"), so data folders
 * written by the stock cognito-local keep working.
 */
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function datesToStrings(this: unknown, key: string, value: unknown) {
  // JSON.stringify has already called Date#toJSON on `value`; the holder still has the Date.
  const original = isRecord(this) ? this[key] : undefined;
  return key.endsWith("Date") && original instanceof Date ? original.toISOString() : value;
}
const stringsToDates = (key: string, value: unknown) =>
  key.endsWith("Date") && (typeof value === "string" || typeof value === "number") ? new Date(value) : value;

/** One JSON document on disk, written one whole version at a time. */
export class JsonFile {
  /** The write in flight (or the last one), which the next write waits for. */
  private last: Promise<void> = Promise.resolve();
  /** A write queued behind `last` and not started yet: later changes ride along with it. */
  private queued: Promise<void> | undefined;

  constructor(
    readonly path: string,
    readonly state: Json,
  ) {}

  static async load(path: string): Promise<JsonFile> {
    await mkdir(dirname(path), { recursive: true });
    if (!existsSync(path)) return new JsonFile(path, {});
    const text = await readFile(path, "utf8");
    let parsed: unknown;
    try {
      parsed = text.trim() === "" ? {} : JSON.parse(text, stringsToDates);
    } catch (e) {
      // Never start from an empty store over a file we cannot read: that would lose every user.
      throw new Error(
        `${path} is not valid JSON (${(e as Error).message}); move it away to start this user pool empty.`,
      );
    }
    if (!isRecord(parsed)) throw new Error(`${path} does not hold a JSON object.`);
    return new JsonFile(path, parsed);
  }

  /** Resolves once a version of the file that includes every change made before the call is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.last.then(() => {
      // From here on, changes need another write: this one serialises the state as it is now.
      this.queued = undefined;
      return this.write(JSON.stringify(this.state, datesToStrings, 2));
    });
    this.queued = next;
    this.last = next.catch(() => undefined);
    return next;
  }

  private async write(text: string) {
    const temp = `${this.path}.tmp`;
    const file = await open(temp, "w", 0o600);
    try {
      await file.writeFile(text, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, this.path);
    await syncFolder(dirname(this.path));
  }
}

/** Makes a rename durable: the folder's entry is what a crash would otherwise lose. */
const syncFolder = async (path: string) => {
  const folder = await open(path, "r");
  try {
    await folder.sync();
  } catch (e) {
    // Some platforms cannot fsync a directory (EISDIR/EINVAL/EPERM); the rename is still atomic there.
    if (!["EISDIR", "EINVAL", "EPERM", "EBADF"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
  } finally {
    await folder.close();
  }
};

const path = (key: string | string[]) => (Array.isArray(key) ? key : [key]);

/**
 * The DataStore cognito-local's services use. Like stormdb, `get` hands out the stored objects
 * themselves (cognito-local's services rely on that, e.g. pushing refresh tokens into a user's
 * array), and `set`/`delete` change the state at once and then persist it.
 */
export class DurableDataStore implements DataStore {
  constructor(private readonly file: JsonFile) {}

  get<T>(ctx: Context, key: string | string[]): Promise<T | null>;
  get<T>(ctx: Context, key: string | string[], defaultValue: T): Promise<T>;
  async get<T>(_ctx: Context, key: string | string[], defaultValue?: T): Promise<T | null> {
    let node: unknown = this.file.state;
    for (const k of path(key)) {
      if (!isRecord(node) || !Object.hasOwn(node, k)) return defaultValue ?? null;
      node = node[k];
    }
    return (node as T | undefined) ?? defaultValue ?? null;
  }

  async getRoot<T>(_ctx: Context): Promise<T | null> {
    return this.file.state as T;
  }

  async set<T>(_ctx: Context, key: string | string[], value: T): Promise<void> {
    const keys = path(key);
    const last = keys.at(-1);
    if (last === undefined) throw new Error("DataStore.set needs a key");
    let node = this.file.state;
    for (const k of keys.slice(0, -1)) {
      const child = node[k];
      if (isRecord(child)) node = child;
      else {
        const made: Record<string, unknown> = {};
        node[k] = made;
        node = made;
      }
    }
    node[last] = value;
    await this.file.save();
  }

  async delete(_ctx: Context, key: string | string[]): Promise<void> {
    const keys = path(key);
    let node: unknown = this.file.state;
    for (const k of keys.slice(0, -1)) node = isRecord(node) ? node[k] : undefined;
    const last = keys.at(-1);
    if (isRecord(node) && last !== undefined) delete node[last];
    await this.file.save();
  }
}

/** One durable JSON file per store id (`clients`, `config`, one per user pool), in `directory`. */
export class DurableDataStoreFactory implements DataStoreFactory {
  constructor(private readonly directory: string) {}

  /** cognito-local creates each store once (at start, or when a user pool is created). */
  async create(_ctx: Context, id: string, defaults: object): Promise<DataStore> {
    const json = await JsonFile.load(join(this.directory, `${id}.json`));
    if (Object.keys(json.state).length === 0) Object.assign(json.state, defaults);
    await json.save();
    return new DurableDataStore(json);
  }
}
