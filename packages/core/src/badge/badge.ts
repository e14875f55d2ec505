export { issue, revoke } from "./badges.ts";
export { BADGES, BadgeNameFormat, badgeIconKey, badgeIconsDir, isKnownBadge, type BadgeName } from "./catalog.ts";
