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

/** A badge's icon (`packages/core/assets/badges/<NAME>.svg`, uploaded at deploy and by the local stack). */
export const badgeIconKey = (name: string): string => `${BADGES_PREFIX}${name}.svg`;

/** Where the user's upload forms write (private). */
export const uploadPrefix = (userId: string) => `${UPLOADS_PREFIX}${userId}/`;
/** Where the user's confirmed avatars are published (public). */
export const avatarPrefix = (userId: string) => `${AVATARS_PREFIX}${userId}/`;

/**
 * The object key of a user's current avatar, if any. Profiles store `avatarKey`; profiles stored
 * before that kept a full URL in `avatarUrl` (with the S3 endpoint of that day): its key, when it
 * is one of this user's avatars, is read from the URL's end, so the avatar keeps being served
 * from the current endpoint. (On AWS such an object is not under a public prefix: the user
 * uploads again. The product had no production stage before the change.)
 */
export const storedAvatarKey = (item: { id: string; avatarKey?: string; avatarUrl?: string }): string | undefined => {
  if (item.avatarKey) return item.avatarKey;
  const legacy = new RegExp(`/(${legacyUserPrefix(item.id)}avatar/[A-Za-z0-9_-]{21}\\.(?:png|jpg|webp))$`).exec(
    item.avatarUrl ?? "",
  );
  return legacy?.[1];
};
