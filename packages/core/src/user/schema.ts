import { z } from "zod";
import { ROLES, STATUSES } from "../dynamo/entities/user.ts";
import { bounded } from "../schema-bounds.ts";
import { isCommonPassword } from "./common.ts";

export const Role = z.enum(ROLES);
export const Status = z.enum(STATUSES);

export const Id = bounded(36).check(z.uuid()).describe("The user id: the Cognito `sub`");
export const Email = bounded(254)
  .check(z.email())
  .transform((e) => e.toLowerCase())
  .describe("E-mail address; unique, case-insensitively");
export const Name = bounded(32, "3-32 letters, digits, '_', '.', '-'; starting with a letter or digit")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, "3-32 letters, digits, '_', '.', '-'; starting with a letter or digit")
  .describe("User name; unique, case-insensitively");
export const Handle = bounded(33, "'@' followed by at most 32 letters and digits")
  .regex(/^@?[A-Za-z0-9]{1,32}$/, "'@' followed by letters and digits")
  .describe("`@` + PascalCase of the name, e.g. `@SomePerson`");
/**
 * The password rules (ASVS 5.0 V6.2), one source for the API's check and the Cognito pool's policy
 * (infra/auth.ts and the local provisioning): at least 12 characters, at most 256 (Cognito's
 * limit), no composition rules (any characters, spaces included), and none of the most common
 * passwords (common.ts). 12 rather than 8: with the length alone doing most of the work,
 * the list that must ship is small (the common passwords that long), and it is a step towards the
 * 15 that ASVS recommends and NIST SP 800-63B-4 asks of single-factor passwords.
 */
export const PasswordPolicy = {
  MinimumLength: 12,
  RequireLowercase: false,
  RequireUppercase: false,
  RequireNumbers: false,
  RequireSymbols: false,
} as const;
/** A password a user sets (registration, reset, change): the policy above, checked before Cognito sees it. */
export const NewPassword = bounded(256, "Use at most 256 characters")
  .min(PasswordPolicy.MinimumLength, `Use at least ${PasswordPolicy.MinimumLength} characters`)
  .refine(
    (p) => !isCommonPassword(p),
    "This password is too common: choose another (a few unrelated words make a good one)",
  )
  .describe(
    `${PasswordPolicy.MinimumLength} to 256 characters, any characters (spaces too), and not one of the most common passwords`,
  );

/** A well-formed BCP 47 tag once `_` is read as `-` (profiles written before stored `en_us`). */
const isLanguageTag = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, "-")).length === 1;
  } catch {
    return false;
  }
};
/**
 * The one rule for every `lang` the API takes (registration and profile); new users get `en-US`.
 * A BCP 47 tag is at most 35 characters (RFC 5646 §4.4.1's longest well-formed tag); the bound and
 * the pattern abort, so `Intl.getCanonicalLocales` only ever sees short, tag-shaped input.
 */
export const Lang = bounded(35, "a language tag such as en-US (at most 35 characters)")
  .regex(/^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, { message: "a language tag such as en-US", abort: true })
  .refine(isLanguageTag, "not a valid BCP 47 language tag");
/** ISO 4217 codes the runtime's ICU knows (`Intl.supportedValuesOf`), not just any three letters. */
const ISO_4217 = new Set(Intl.supportedValuesOf("currency"));
/** One currency rule for registration and profile updates alike. */
export const Currency = z
  .string()
  .length(3, { abort: true, message: "a 3-letter ISO-4217 code such as USD" })
  .regex(/^[A-Z]{3}$/, { message: "an ISO-4217 code such as USD", abort: true })
  .refine((c) => ISO_4217.has(c), "not an ISO 4217 currency code");

export const Badge = z.object({ name: z.string(), iconUrl: z.string() });

/**
 * The `data` blob in a response: any JSON object, passed through as it is. A record schema would
 * rebuild it and leave out a `__proto__` key, which in the blob is plain data (merge-patch.ts).
 */
const DataBlob = z
  .custom<Record<string, unknown>>(
    (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    "must be a JSON object",
  )
  .meta({ override: { type: "object", propertyNames: { type: "string" }, additionalProperties: {} } });

/** The user as the API returns it. Explicit, so no internal attribute can leak. */
export const Info = z
  .object({
    id: z.string(),
    name: z.string(),
    handle: z.string(),
    email: z.string(),
    createdAt: z.iso.datetime(),
    lastLoginAt: z.iso.datetime().nullable(),
    role: Role,
    status: Status,
    sourceSystem: z.string().nullable(),
    profile: z.object({
      profileData: z.object({ lang: z.string(), avatarUrl: z.string(), currency: z.string() }),
      badges: z.array(Badge),
      data: DataBlob,
    }),
  })
  .meta({ id: "User" });
export type Info = z.infer<typeof Info>;

export const RegisterInput = z.strictObject({
  email: Email,
  name: Name,
  password: NewPassword,
  sourceSystem: z.string().min(1).max(64).optional(),
  lang: Lang.optional(),
  currency: Currency.optional(),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const Registered = Info.extend({
  activationCode: z.string().describe("Single-use activation code; returned only here"),
}).meta({ id: "RegisteredUser" });
