import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { get, updateIf } from "../user/record.ts";
import { toInfo } from "../user/info.ts";
import type { Info } from "../user/schema.ts";
import { isKnownBadge } from "./catalog.ts";

/** Badges: the catalog of those the service can issue, and issuing and revoking them. */
export { BADGES, BadgeNameFormat, badgeIconsDir, isKnownBadge, type BadgeName } from "./catalog.ts";

const known = (name: string) => {
  if (!isKnownBadge(name)) throw new AppError("NOT_FOUND", `No badge named ${name} in the catalog`);
};

/**
 * Badges are a DynamoDB string set: ADD and DELETE of one element are single atomic updates, so
 * concurrent issues of different badges all land. Each is written, with its event, on condition
 * that it changes something (the user lacks the badge to issue, has the one to revoke): issuing a
 * badge the user has, or revoking one they lack, writes nothing — no event — and answers with the
 * user as they are (404 when there is no such user).
 */
export const issue = async (userId: string, name: string, audit: Audit = SYSTEM): Promise<Info> => {
  known(name);
  const updated = await updateIf(
    userId,
    { lacksBadge: name },
    { add: { badges: [name] } },
    { record: { audit, events: [{ type: "user.badge_issued", data: { badge: name } }] } },
  );
  return updated ?? toInfo(await get(userId, { consistent: true }));
};

export const revoke = async (userId: string, name: string, audit: Audit = SYSTEM): Promise<Info> => {
  known(name);
  const updated = await updateIf(
    userId,
    { hasBadge: name },
    { delete: { badges: [name] } },
    { record: { audit, events: [{ type: "user.badge_revoked", data: { badge: name } }] } },
  );
  return updated ?? toInfo(await get(userId, { consistent: true }));
};
