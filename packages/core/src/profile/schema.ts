import { z } from "zod";
import { Currency, Lang } from "../user/schema.ts";

export const ProfileLang = Lang.describe("Language tag, BCP 47 (`_` is read as `-`), e.g. `en-US`, `pt-BR`");
export const ProfileCurrency = Currency.describe("ISO 4217 currency code, e.g. `EUR`");

/** The profile settings a user (or a back end, for any user) may change. */
export const ProfileFields = { lang: ProfileLang.optional(), currency: ProfileCurrency.optional() };

/** Refinement for an input holding `ProfileFields`: at least one of them. */
export const atLeastOneField = [
  (p: { lang?: string; currency?: string }) => p.lang !== undefined || p.currency !== undefined,
  "give `lang`, `currency` or both",
] as const;

export const ProfileDataInput = z.strictObject(ProfileFields).refine(...atLeastOneField);
export type ProfileDataInput = z.infer<typeof ProfileDataInput>;
