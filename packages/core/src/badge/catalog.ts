import { z } from "zod";

/**
 * The badges the service can issue. Each icon is `packages/core/assets/badges/<NAME>.svg`,
 * uploaded to the assets bucket under `badgeIconKey(NAME)` (assets/prefixes.ts; at deploy, and
 * by the local stack).
 */
export const BADGES = {
  NEW_MEMBER: "Joined the community",
  CONVERSATION_STARTER: "Started a conversation",
  EARLY_ADOPTER: "Was there early",
  MODERATOR: "Keeps the place tidy",
  FIRST_POST: "Wrote a first post",
  HELPFUL: "Answers that helped",
  TOP_CONTRIBUTOR: "Among the most active",
  BUG_HUNTER: "Reported a real bug",
  MENTOR: "Helps newcomers",
  VERIFIED: "Verified identity",
  STREAK_7: "Seven days in a row",
  STREAK_30: "Thirty days in a row",
  STREAK_365: "A year, every day",
  ANNIVERSARY_1: "One year a member",
  ANNIVERSARY_5: "Five years a member",
  TRANSLATOR: "Translated content",
  DOCUMENTER: "Improved the docs",
  REVIEWER: "Reviewed others' work",
  ORGANIZER: "Organised an event",
  SUPPORTER: "Supports the project",
  BETA_TESTER: "Tried things first",
  AMBASSADOR: "Represents the community",
} as const satisfies Record<string, string>;

export type BadgeName = keyof typeof BADGES;

export const BadgeNameFormat = z
  .string()
  .max(40, { abort: true, message: "upper-case letters, digits and '_', 2-40 characters" })
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, "upper-case letters, digits and '_', 2-40 characters");

export const isKnownBadge = (name: string): name is BadgeName => Object.hasOwn(BADGES, name);

/** Absolute path of the icons folder in this package (used by the local stack and the infra). */
export const badgeIconsDir = new URL("../../assets/badges/", import.meta.url);
