import { z } from "zod";
import { avatarPrefix, uploadPrefix } from "../assets/prefixes.ts";

/** Largest avatar accepted, in bytes. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** The image types an avatar may be, each with the extension its key gets. */
export const AVATAR_TYPES = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as const;
export type AvatarType = keyof typeof AVATAR_TYPES;
export const TYPE_NAMES: Record<AvatarType, string> = {
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/webp": "a WebP image",
};

export const AvatarContentType = z
  .enum(["image/png", "image/jpeg", "image/webp"])
  .describe("The image's type: PNG, JPEG or WebP");

export const AvatarKey = z
  .string()
  .max(256, { abort: true })
  .regex(
    /^uploads\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{21}\.(png|jpg|webp)$/,
    "an upload key as returned by the upload request",
  )
  .describe("The `key` the upload request returned");

/**
 * The public key an upload is published under: the same unique name under the user's avatar
 * prefix, which no upload form can write. Deterministic, so confirming twice is recognised.
 */
export const publishedKeyOf = (uploadKey: string, userId: string): string =>
  `${avatarPrefix(userId)}${uploadKey.slice(uploadPrefix(userId).length)}`;

/** The type a key was issued for, from its extension. */
export const typeOfKey = (key: string): AvatarType | undefined =>
  (Object.keys(AVATAR_TYPES) as AvatarType[]).find((t) => key.endsWith(`.${AVATAR_TYPES[t]}`));
