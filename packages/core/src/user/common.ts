import { COMMON_PASSWORDS } from "./common-passwords.ts";

const common = new Set(COMMON_PASSWORDS);

/**
 * Whether a password is one of the most common ones (ASVS 5.0 V6.2.4), ignoring case: "Qwerty123456"
 * is guessed as soon as "qwerty123456". The list ships with the code: no network at run time.
 */
export const isCommonPassword = (password: string): boolean => common.has(password.normalize("NFKC").toLowerCase());
