import { AppError } from "../errors.ts";
import { update } from "../user/record.ts";
import type { Info } from "../user/schema.ts";
import { isKnownBadge } from "./catalog.ts";

/** Badges: the catalog of those the service can issue, and issuing and revoking them. */
export { BADGES, BadgeNameFormat, badgeIconsDir, isKnownBadge, type BadgeName } from "./catalog.ts";

const known = (name: string) => {
  if (!isKnownBadge(name)) throw new AppError("NOT_FOUND", `No badge named ${name} in the catalog`);
};

/**
 * Badges are a DynamoDB string set: ADD and DELETE of one element are single atomic updates, so
 * issuing a badge the user has (or revoking one they lack) changes nothing, and concurrent issues
 * of different badges all land.
 */
export const issue = (userId: string, name: string): Promise<Info> => {
  known(name);
  return update(userId, { add: { badges: [name] } });
};

export const revoke = (userId: string, name: string): Promise<Info> => {
  known(name);
  return update(userId, { delete: { badges: [name] } });
};
