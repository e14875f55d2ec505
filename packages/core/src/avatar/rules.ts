import { z } from "zod";
import { AVATARS_PREFIX, UPLOADS_PREFIX, legacyUserPrefix } from "../assets/prefixes.ts";

/** Largest avatar accepted, in bytes. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** The image types an avatar may be, each with the extension its key gets. */
export const AVATAR_TYPES = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as const;
export type AvatarType = keyof typeof AVATAR_TYPES;
export const TYPE_NAMES: Record<AvatarType, string> = { "image/png": "a PNG image", "image/jpeg": "a JPEG image", "image/webp": "a WebP image" };

export const AvatarContentType = z.enum(["image/png", "image/jpeg", "image/webp"]).describe("The image's type: PNG, JPEG or WebP");

/** Where the user's upload forms write (private). */
export const uploadPrefix = (userId: string) => `${UPLOADS_PREFIX}${userId}/`;
/** Where the user's confirmed avatars are published (public). */
export const avatarPrefix = (userId: string) => `${AVATARS_PREFIX}${userId}/`;

export const AvatarKey = z
  .string()
  .max(256, { abort: true })
  .regex(/^uploads\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{21}\.(png|jpg|webp)$/, "an upload key as returned by the upload request")
  .describe("The `key` the upload request returned");

/**
 * The public key an upload is published under: the same unique name under the user's avatar
 * prefix, which no upload form can write. Deterministic, so confirming twice is recognised.
 */
export const publishedKeyOf = (uploadKey: string, userId: string): string => `${avatarPrefix(userId)}${uploadKey.slice(uploadPrefix(userId).length)}`;

/** The type a key was issued for, from its extension. */
export const typeOfKey = (key: string): AvatarType | undefined =>
  (Object.keys(AVATAR_TYPES) as AvatarType[]).find((t) => key.endsWith(`.${AVATAR_TYPES[t]}`));

/**
 * The object key of a user's current avatar, if any. Profiles store `avatarKey`; profiles stored
 * before that kept a full URL in `avatarUrl` (with the S3 endpoint of that day): its key, when it
 * is one of this user's avatars, is read from the URL's end, so the avatar keeps being served
 * from the current endpoint. (On AWS such an object is not under a public prefix: the user
 * uploads again. The product had no production stage before the change.)
 */
export const storedAvatarKey = (item: { id: string; avatarKey?: string; avatarUrl?: string }): string | undefined => {
  if (item.avatarKey) return item.avatarKey;
  const legacy = new RegExp(`/(${legacyUserPrefix(item.id)}avatar/[A-Za-z0-9_-]{21}\\.(?:png|jpg|webp))$`).exec(item.avatarUrl ?? "");
  return legacy?.[1];
};
