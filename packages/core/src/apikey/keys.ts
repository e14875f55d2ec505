import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { nanoid } from "nanoid";
import { z } from "zod";
import { Config } from "../config.ts";
import { SCOPES, type Scope as ScopeName } from "../dynamo/entities/apikey.ts";
import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";

/** `iam_<keyId>_<secret>`: the prefix says what it is, the id finds it, the secret proves it. */
const KEY_FORMAT = /^iam_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const hash = (s: string) => createHash("sha256").update(s).digest();
const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export const Scope = z.enum(SCOPES);
export const ApiKeyInfo = z
  .object({
    keyId: z.string(),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const CreateKeyInput = z.strictObject({
  name: z.string().min(1).max(64),
  scopes: z.array(Scope).min(1).max(SCOPES.length),
  expiresInSeconds: z.number().int().min(60).max(5 * 365 * 24 * 3600).optional(),
});

type Item = {
  keyId: string;
  name: string;
  scopes: ScopeName[];
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

export type Caller = { keyId: string; scopes: ReadonlySet<ScopeName> };

/** Positive lookups are cached briefly per process; revocation here clears the entry at once. */
const CACHE_MS = 30_000;
const LAST_USED_EVERY_S = 60;
const cache = new Map<string, { item: Item & { secretHash: string }; until: number }>();

export const create = async (input: z.infer<typeof CreateKeyInput>): Promise<ApiKeyInfo & { apiKey: string }> => {
  const keyId = nanoid(16).replace(/[^A-Za-z0-9]/g, "x");
  const secret = randomBytes(32).toString("base64url");
  const apiKey = `iam_${keyId}_${secret}`;
  const expiresAt = input.expiresInSeconds ? Math.floor(Date.now() / 1000) + input.expiresInSeconds : undefined;
  const { data } = await db()
    .entities.apiKey.create({ keyId, name: input.name, scopes: input.scopes, secretHash: hash(apiKey).toString("base64url"), expiresAt })
    .go();
  return { ...toInfo(data as Item), apiKey };
};

export const list = async (): Promise<ApiKeyInfo[]> => {
  const { data } = await db().entities.apiKey.query.all({ kind: "apikey" }).go({ pages: "all" });
  return (data as Item[]).map(toInfo);
};

export const revoke = async (keyId: string): Promise<ApiKeyInfo> => {
  cache.delete(keyId);
  try {
    const { data } = await db()
      .entities.apiKey.patch({ keyId })
      .set({ revokedAt: new Date().toISOString() })
      .go({ response: "all_new" });
    return toInfo(data as Item);
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "No such API key");
    throw e;
  }
};

/**
 * A new key with the same name and scopes; the old one stays valid for `graceSeconds`, so callers
 * can switch over without an outage, then expires.
 */
export const rotate = async (keyId: string, graceSeconds: number): Promise<ApiKeyInfo & { apiKey: string }> => {
  const { data: old } = await db().entities.apiKey.get({ keyId }).go({ consistent: true });
  if (!old || old.revokedAt) throw new AppError("NOT_FOUND", "No such API key");
  const fresh = await create({ name: old.name, scopes: [...old.scopes] });
  const graceEnd = Math.floor(Date.now() / 1000) + graceSeconds;
  await db()
    .entities.apiKey.patch({ keyId })
    .set({ expiresAt: old.expiresAt ? Math.min(old.expiresAt, graceEnd) : graceEnd, rotatedTo: fresh.keyId })
    .go();
  cache.delete(keyId);
  return fresh;
};

const unauthorized = () => new AppError("UNAUTHORIZED", "Invalid API key");

/**
 * Who is calling: the bootstrap key from the `IamApiKey` secret (all scopes), or a stored key that
 * exists, matches, is not revoked and not expired. Every comparison is constant-time.
 */
export const authenticate = async (presented: string): Promise<Caller> => {
  if (equal(hash(presented), hash(Config.bootstrapApiKey))) return { keyId: "bootstrap", scopes: new Set(SCOPES) };
  const match = KEY_FORMAT.exec(presented);
  if (!match?.[1]) throw unauthorized();
  const keyId = match[1];
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
