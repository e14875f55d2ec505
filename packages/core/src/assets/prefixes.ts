/**
 * The key layout of the assets bucket. Only the public prefixes are readable by anyone (the
 * bucket policy in infra/storage.ts is built from PUBLIC_PREFIXES); everything else is private.
 * A pure module: infra imports it.
 */
export const BADGES_PREFIX = "badges/";
/** Published avatars: written only by the service (confirm), never by an upload form. */
export const AVATARS_PREFIX = "avatars/";
/** Where upload forms write: private until confirmed, expired by a lifecycle rule otherwise. */
export const UPLOADS_PREFIX = "uploads/";

export const PUBLIC_PREFIXES: readonly string[] = [BADGES_PREFIX, AVATARS_PREFIX];

/** An upload nobody confirmed is deleted by the bucket after this many days. */
export const UPLOAD_EXPIRY_DAYS = 1;

/** Where versions before the avatars/ + uploads/ layout kept a user's avatars (`users/<id>/avatar/…`). */
export const LEGACY_USERS_PREFIX = "users/";
export const legacyUserPrefix = (userId: string) => `${LEGACY_USERS_PREFIX}${userId}/`;

/** Every prefix holding objects of one user: a hard delete empties them all. */
export const userPrefixes = (userId: string): string[] => [
  `${UPLOADS_PREFIX}${userId}/`,
  `${AVATARS_PREFIX}${userId}/`,
  legacyUserPrefix(userId),
];
