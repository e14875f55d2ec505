import { assetUrl, badgeIconKey, storedAvatarKey } from "../assets/index.ts";
import type { UserItem } from "./record.ts";
import type { Info } from "./schema.ts";

/** Public URL of the user's avatar, built from its stored key as badge icon URLs are; "" for none. */
const avatarUrlOf = (item: UserItem): string => {
  const key = storedAvatarKey(item);
  return key ? assetUrl(key) : "";
};

/**
 * Stored item → the API's user shape, the one shape core hands out (reads and writes alike).
 * Internal attributes (version, sourceIp, revocation time, keys) stay behind.
 */
export const toInfo = (item: UserItem): Info => ({
  id: item.id,
  name: item.name,
  handle: item.handle,
  email: item.email,
  createdAt: item.createdAt,
  lastLoginAt: item.lastLoginAt ?? null,
  role: item.role,
  status: item.status,
  sourceSystem: item.sourceSystem ?? null,
  profile: {
    profileData: { lang: item.lang, avatarUrl: avatarUrlOf(item), currency: item.currency },
    badges: [...(item.badges ?? [])].sort().map((name) => ({ name, iconUrl: assetUrl(badgeIconKey(name)) })),
    // `?? "{}"`: profiles written before `dataJson` existed (local data folders of early versions).
    data: JSON.parse(item.dataJson ?? "{}") as Record<string, unknown>,
  },
});
