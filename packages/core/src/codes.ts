import { createHash } from "node:crypto";
import { nanoid } from "nanoid";

/** A fresh single-use code: 21 URL-safe random characters (126 bits). */
export const newCode = (): string => nanoid();

/** Codes are stored only as hashes, so a table dump does not hand out activations. */
export const hashCode = (code: string): string => createHash("sha256").update(code).digest("base64url");

/**
 * An e-mail address as the table keys it where the address itself must not be stored (a pending
 * password reset, the events of an address with no account): SHA-256 of the lower-cased address,
 * base64url.
 */
export const addressHash = (email: string): string =>
  createHash("sha256").update(email.toLowerCase()).digest("base64url");
