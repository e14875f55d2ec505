import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { nanoid } from "nanoid";
import { z } from "zod";
import { Config } from "../config.ts";
import { SCOPES } from "../dynamo/entities/apikey.ts";
import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { retryTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import type { EventData, EventType } from "../events/catalogue.ts";
import { type Audit, create as createEvent, SYSTEM } from "../events/event.ts";
import { put as putEvent } from "../events/store.ts";

/**
 * `iam_<keyId><tag>_<secret>`: the prefix says what it is, the id finds it, the tag — a MAC of the
 * id under a server secret of its own (`IamKeyIdSecret`) — shows the id was issued here, and the
 * secret proves the key. The tag is checked before anything is looked up, so a made-up key costs
 * no DynamoDB read. Keys issued before ids carried a tag (`iam_<keyId>_<secret>`) are refused:
 * re-issue them.
 */
const KEY_FORMAT = /^iam_([A-Za-z0-9]{16})([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const hash = (s: string) => createHash("sha256").update(s).digest();
const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const nowS = () => Math.floor(Date.now() / 1000);

/** 16 alphanumerics of HMAC-SHA256(secret, id): about 95 bits (`byte % 62` is slightly uneven). */
const idTag = (keyId: string): string => {
  const mac = createHmac("sha256", Config.keyIdSecret).update(`apikey-id/v1\n${keyId}`).digest();
  return Array.from(mac.subarray(0, 16), (b) => ALNUM[b % ALNUM.length]).join("");
};

export { SCOPES };
/** What a machine key may do (dynamo/entities/apikey.ts says what each scope allows). */
export const Scope = z.enum(SCOPES);
export type Scope = (typeof SCOPES)[number];
export const ApiKeyInfo = z
  .object({
    keyId: z.string(),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const CreateKeyInput = z.strictObject({
  name: z.string().min(1).max(64),
  scopes: z.array(Scope).min(1).max(SCOPES.length),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(5 * 365 * 24 * 3600)
    .optional(),
});

type Item = {
  keyId: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt?: number;
  revokedAt?: string;
  lastUsedAt?: number;
};
const iso = (epoch?: number) => (epoch === undefined ? null : new Date(epoch * 1000).toISOString());
const toInfo = (k: Item): ApiKeyInfo => ({
  keyId: k.keyId,
  name: k.name,
  scopes: [...k.scopes].sort(),
  createdAt: k.createdAt,
  expiresAt: iso(k.expiresAt),
  revokedAt: k.revokedAt ?? null,
  lastUsedAt: iso(k.lastUsedAt),
});

/** A machine caller: the key it presented (by id) and what it may do. */
export type Machine = { keyId: string; scopes: ReadonlySet<Scope> };

/** Positive lookups are cached briefly per process; revocation here clears the entry at once. */
const CACHE_MS = 30_000;
const LAST_USED_EVERY_S = 60;
const cache = new Map<string, { item: Item & { secretHash: string }; until: number }>();

/** A new key and the item that stores it (only the secret's hash), not yet written. */
const newKey = (name: string, scopes: Scope[], expiresAt: number | undefined) => {
  const keyId = nanoid(16).replace(/[^A-Za-z0-9]/g, "x");
  const apiKey = `iam_${keyId}${idTag(keyId)}_${randomBytes(32).toString("base64url")}`;
  const item = {
    keyId,
    name,
    scopes,
    secretHash: hash(apiKey).toString("base64url"),
    expiresAt,
    createdAt: new Date().toISOString(),
  };
  return { apiKey, item };
};

/**
 * The event of a change of a key, for the key's own transaction: about the key (by id, never the
 * key itself), stamped with who made the change.
 */
const eventOf = <T extends EventType>(type: T, keyId: string, audit: Audit, data: EventData<T>) =>
  putEvent(createEvent({ type, subject: { keyId }, actor: audit.actor, sourceIp: audit.sourceIp, data }));

/** A new key, written with its `apikey.created` event in one transaction (on condition that the id is new). */
export const create = async (
  input: z.infer<typeof CreateKeyInput>,
  audit: Audit = SYSTEM,
): Promise<ApiKeyInfo & { apiKey: string }> => {
  const { apiKey, item } = newKey(
    input.name,
    input.scopes,
    input.expiresInSeconds ? nowS() + input.expiresInSeconds : undefined,
  );
  const expiresAt = iso(item.expiresAt);
  const created = eventOf("apikey.created", item.keyId, audit, { name: item.name, scopes: item.scopes, expiresAt });
  const result = await retryTransaction(() =>
    db()
      .transaction.write(({ apiKey: keys }) => [keys.create(item).commit(), created])
      .go(),
  );
  if (result.canceled) throw new AppError("CONFLICT", "The key could not be created; retry", { retryAfterSeconds: 1 });
  return { ...toInfo(item), apiKey };
};

export const list = async (): Promise<ApiKeyInfo[]> => {
  const { data } = await db().entities.apiKey.query.all({ kind: "apikey" }).go({ pages: "all" });
  return (data as Item[]).map(toInfo);
};

/**
 * Revokes a key now, with its `apikey.revoked` event in one transaction, on condition that the key
 * exists and is not revoked yet: revoking a revoked key changes nothing (its `revokedAt` stays the
 * first revocation's), records nothing, and answers the key as it is.
 */
export const revoke = async (keyId: string, audit: Audit = SYSTEM): Promise<ApiKeyInfo> => {
  cache.delete(keyId);
  const revoked = eventOf("apikey.revoked", keyId, audit, {});
  const result = await retryTransaction(() =>
    db()
      .transaction.write(({ apiKey }) => [
        apiKey
          .patch({ keyId })
          .set({ revokedAt: new Date().toISOString() })
          .where((k, { notExists }) => notExists(k.revokedAt))
          .commit(),
        revoked,
      ])
      .go(),
  );
  // Cancelled by the condition: no such key (404 below), or one already revoked (answered as it is).
  if (result.canceled && result.data[0]?.code !== "ConditionalCheckFailed")
    throw new AppError("CONFLICT", "The key changed meanwhile; retry", { retryAfterSeconds: 1 });
  const { data } = await db().entities.apiKey.get({ keyId }).go({ consistent: true });
  if (!data) throw new AppError("NOT_FOUND", "No such API key");
  return toInfo(data as Item);
};

/**
 * A successor with the same name, scopes and expiry (rotation replaces the secret; it does not
 * extend the key's life); the old key stays valid for `graceSeconds` — never past its own
 * expiry — so callers can switch over without an outage. A revoked, expired or already rotated key
 * cannot be rotated (409): rotating is not a way to revive a key or fork it into several. The
 * successor is created and the old key marked in one transaction, on condition that the old key is
 * still as read, so of two concurrent rotations one wins.
 */
export const rotate = async (
  keyId: string,
  graceSeconds: number,
  audit: Audit = SYSTEM,
): Promise<ApiKeyInfo & { apiKey: string }> => {
  const { data: old } = await db().entities.apiKey.get({ keyId }).go({ consistent: true });
  if (!old) throw new AppError("NOT_FOUND", "No such API key");
  const now = nowS();
  if (old.revokedAt) throw new AppError("CONFLICT", "This API key is revoked");
  if (old.rotatedTo) throw new AppError("CONFLICT", "This API key was already rotated; rotate its successor");
  if (old.expiresAt !== undefined && old.expiresAt <= now)
    throw new AppError("CONFLICT", "This API key has expired; create a new one");
  const fresh = newKey(old.name, [...old.scopes], old.expiresAt);
  const graceEnd = Math.min(now + graceSeconds, old.expiresAt ?? Number.POSITIVE_INFINITY);
  const rotated = eventOf("apikey.rotated", keyId, audit, {
    successorKeyId: fresh.item.keyId,
    graceUntil: new Date(graceEnd * 1000).toISOString(),
  });
  const result = await retryTransaction(() =>
    db()
      .transaction.write(({ apiKey }) => [
        apiKey.create(fresh.item).commit(),
        apiKey
          .patch({ keyId })
          .set({ expiresAt: graceEnd, rotatedTo: fresh.item.keyId })
          .where(
            (k, { notExists, gt }) =>
              `${notExists(k.rotatedTo)} AND ${notExists(k.revokedAt)} AND (${notExists(k.expiresAt)} OR ${gt(k.expiresAt, now)})`,
          )
          .commit(),
        rotated,
      ])
      .go(),
  );
  if (result.canceled)
    throw new AppError("CONFLICT", "This API key changed meanwhile (rotated or revoked); list the keys and retry");
  cache.delete(keyId);
  return { ...toInfo(fresh.item), apiKey: fresh.apiKey };
};

const unauthorized = () => new AppError("UNAUTHORIZED", "Invalid API key");

/**
 * Who is calling: the bootstrap key from the `IamApiKey` secret (all scopes), or a stored key that
 * exists, matches, is not revoked and not expired. Every comparison is constant-time.
 */
export const authenticate = async (presented: string): Promise<Machine> => {
  if (equal(hash(presented), hash(Config.bootstrapApiKey))) return { keyId: "bootstrap", scopes: new Set(SCOPES) };
  const [, keyId, tag] = KEY_FORMAT.exec(presented) ?? [];
  if (!keyId || !tag || !equal(Buffer.from(tag), Buffer.from(idTag(keyId)))) throw unauthorized();
  const now = Date.now();
  let entry = cache.get(keyId);
  if (!entry || entry.until < now) {
    const { data } = await db().entities.apiKey.get({ keyId }).go();
    if (!data) throw unauthorized();
    entry = { item: data as Item & { secretHash: string }, until: now + CACHE_MS };
    cache.set(keyId, entry);
  }
  const { item } = entry;
  if (!equal(hash(presented), Buffer.from(item.secretHash, "base64url"))) throw unauthorized();
  if (item.revokedAt) throw unauthorized();
  if (item.expiresAt !== undefined && item.expiresAt * 1000 <= now) throw unauthorized();
  await touch(item, now);
  return { keyId, scopes: new Set(item.scopes) };
};

/** Records use at most once a minute per key, across processes (conditional write). */
const touch = async (item: Item, now: number) => {
  const nowS = Math.floor(now / 1000);
  if (item.lastUsedAt !== undefined && nowS - item.lastUsedAt < LAST_USED_EVERY_S) return;
  item.lastUsedAt = nowS;
  try {
    await db()
      .entities.apiKey.patch({ keyId: item.keyId })
      .set({ lastUsedAt: nowS })
      .where((k, { notExists, lt }) => `${notExists(k.lastUsedAt)} OR ${lt(k.lastUsedAt, nowS - LAST_USED_EVERY_S)}`)
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
};
