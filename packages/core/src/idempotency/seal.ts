import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * A stored response is sealed with AES-256-GCM under a key derived (HKDF-SHA-256) from the
 * Idempotency-Key, salted with the record's scope: only a caller who holds the Idempotency-Key can
 * replay it, and the table alone (a backup, an export) reveals no activation code.
 */
const keyFor = (idempotencyKey: string, scope: string) =>
  Buffer.from(hkdfSync("sha256", idempotencyKey, scope, "iam idempotent response v1", 32));

/** `base64url(iv ‖ tag ‖ ciphertext)` */
export const seal = (plaintext: string, idempotencyKey: string, scope: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(idempotencyKey, scope), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
};

/** The plaintext, or null when the sealed text was not made with this key and scope (or was altered). */
export const unseal = (sealed: string, idempotencyKey: string, scope: string): string | null => {
  const raw = Buffer.from(sealed, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(idempotencyKey, scope), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
};
