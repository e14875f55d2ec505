import { z } from "zod";
import { SCOPES } from "../dynamo/entities/apikey.ts";
import { isSecurityEventType } from "../dynamo/entities/event.ts";
import { ROLES, STATUSES } from "../dynamo/entities/user.ts";

/**
 * Every event type, with the schema of its `data` and one example (docs/EVENTS.md is generated
 * from these: test/events/docs.test.ts keeps the two equal).
 *
 * `data` is small and never carries a secret: no password, token, code or key, and of the user's
 * `data` blob only its top-level keys. Every schema is strict, so a writer cannot slip in a field
 * the catalogue does not name.
 */
const Role = z.enum(ROLES);
const Status = z.enum(STATUSES);
const Scope = z.enum(SCOPES);
// Bounded by the blob's own limit (32 KiB of JSON, user/data.ts): every key of an accepted blob fits.
const Keys = z
  .array(z.string().max(32 * 1024))
  .max(32 * 1024)
  .describe("Top-level keys of the data blob (never their values)");
const none = z.strictObject({});

/** Why a session ended: logout, a password change or reset, a role change, a suspension. */
export const SESSION_END_REASONS = [
  "logout",
  "password_changed",
  "password_reset",
  "role_changed",
  "suspended",
] as const;
/** Why a login failed; the same for an unknown address and a wrong password, as the login answer is. */
export const LOGIN_FAILURE_REASONS = ["invalid_credentials", "unconfirmed", "suspended"] as const;

type Entry<S extends z.ZodType> = { summary: string; data: S; example: z.input<S> };
const entry = <S extends z.ZodType>(summary: string, data: S, example: z.input<S>): Entry<S> => ({
  summary,
  data,
  example,
});

export const CATALOGUE = {
  "user.registered": entry(
    "A user registered (status UNCONFIRMED).",
    z.strictObject({ email: z.string(), name: z.string(), handle: z.string(), sourceSystem: z.string().optional() }),
    { email: "ada@example.com", name: "ada_lovelace", handle: "@AdaLovelace", sourceSystem: "customer-website" },
  ),
  "user.activated": entry("The user's activation code was used (status CONFIRMED).", none, {}),
  "user.status_changed": entry("The user's status was set.", z.strictObject({ from: Status, to: Status }), {
    from: "CONFIRMED",
    to: "SUSPENDED",
  }),
  "user.role_changed": entry(
    "The user's role (and Cognito group) was changed.",
    z.strictObject({ from: Role, to: Role }),
    { from: "USER", to: "MODERATOR" },
  ),
  "user.profile_updated": entry(
    "Profile settings changed; `data` holds the new values of the fields that changed.",
    z.strictObject({ lang: z.string().optional(), currency: z.string().optional() }),
    { lang: "en-GB", currency: "GBP" },
  ),
  "user.data_replaced": entry("The data blob was replaced.", z.strictObject({ keys: Keys }), {
    keys: ["plan", "preferences"],
  }),
  "user.data_merged": entry(
    "A JSON merge patch was applied to the data blob; `keys` are the patch's top-level keys (`null` ones were removed).",
    z.strictObject({ keys: Keys }),
    { keys: ["preferences"] },
  ),
  "user.badge_issued": entry(
    "A badge was issued (not sent when the user already had it).",
    z.strictObject({ badge: z.string() }),
    { badge: "EARLY_ADOPTER" },
  ),
  "user.badge_revoked": entry(
    "A badge was revoked (not sent when the user did not have it).",
    z.strictObject({ badge: z.string() }),
    { badge: "EARLY_ADOPTER" },
  ),
  "user.avatar_changed": entry(
    "A new avatar was published; `avatarKey` is its object's key in the assets bucket (the user's `avatarUrl` is the assets host's URL of it: a stored URL would go stale when hosts or ports change).",
    z.strictObject({ avatarKey: z.string() }),
    { avatarKey: "avatars/6b09fb7c-518f-48df-9e2d-d406b5cc6965/Xk3v9q.png" },
  ),
  "user.deleted": entry(
    "The user was deleted. This record carries nothing personal and outlives the user's other events, which are purged.",
    none,
    {},
  ),
  "session.login_succeeded": entry("A login succeeded.", none, {}),
  "session.login_failed": entry(
    "A login failed. For an address with no account the subject is the address's hash (`addressHash`).",
    z.strictObject({ reason: z.enum(LOGIN_FAILURE_REASONS) }),
    { reason: "invalid_credentials" },
  ),
  "session.locked_out": entry(
    "The lockout refused a login, from one client address (`address`) or from everywhere (`account`): recorded once per window, at its first refusal.",
    z.strictObject({ scope: z.enum(["address", "account"]), retryAfterSeconds: z.number().int().nonnegative() }),
    { scope: "address", retryAfterSeconds: 840 },
  ),
  "session.ended": entry(
    "Every session of the user ended: tokens issued before are refused.",
    z.strictObject({ reason: z.enum(SESSION_END_REASONS) }),
    { reason: "logout" },
  ),
  "password.reset_requested": entry(
    "A reset code was issued (never the code). For an address with no account the subject is the address's hash.",
    none,
    {},
  ),
  "password.reset": entry("The password was reset with a code.", none, {}),
  "password.changed": entry("The user changed their password.", none, {}),
  "apikey.created": entry(
    "A machine API key was created (never the key).",
    z.strictObject({ name: z.string(), scopes: z.array(Scope), expiresAt: z.string().nullable() }),
    { name: "billing-backend", scopes: ["read", "write"], expiresAt: null },
  ),
  "apikey.rotated": entry(
    "A key was replaced by a successor; the old one works until `graceUntil`.",
    z.strictObject({ successorKeyId: z.string(), graceUntil: z.string() }),
    { successorKeyId: "Q2VxN0RmZ1ZqTkF3", graceUntil: "2025-06-01T13:00:00.000Z" },
  ),
  "apikey.revoked": entry("A key was revoked.", none, {}),
} as const satisfies Record<string, Entry<z.ZodType>>;

export type Catalogue = typeof CATALOGUE;
export type EventType = keyof Catalogue;
export const EVENT_TYPES = Object.keys(CATALOGUE) as EventType[];
export type EventData<T extends EventType> = z.infer<Catalogue[T]["data"]>;

/** The events a user may read about themself on `/public/user/me/events`: logins, lockouts, passwords, sessions. */
export const SECURITY_EVENT_TYPES = EVENT_TYPES.filter(isSecurityEventType);

/** The `source` of every event on the bus (EventBridge rules match on it): the app's name. */
export const EVENT_SOURCE = "user-iam";
