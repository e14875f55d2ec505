import { db } from "../dynamo/service.ts";
import { hashCode, newCode } from "../user/codes.ts";
import { findById } from "../user/store.ts";
import { removeCodesOf } from "./codes.ts";

/** How long a reset code stays valid. */
export const RESET_TTL_SECONDS = 3600;

export type ResetTicket = { resetCode: string; expiresAt: string };

/**
 * Issues a single-use reset code for the caller to deliver (e-mail, SMS…). An unknown address
 * gets an answer of the same shape, with a code that matches nothing, so the answer does not tell
 * whether the address has an account. A new code replaces the user's earlier ones.
 */
export const forgot = async (email: string): Promise<ResetTicket> => {
  const resetCode = newCode();
  const expiresAtS = Math.floor(Date.now() / 1000) + RESET_TTL_SECONDS;
  const { data: guard } = await db().entities.unique.get({ kind: "email", value: email.toLowerCase() }).go();
  const user = guard ? await findById(guard.userId) : null;
  if (user) {
    const codeHash = hashCode(resetCode);
    await db().entities.passwordReset.create({ codeHash, userId: user.id, expiresAt: expiresAtS }).go();
    await removeCodesOf(user.id, codeHash);
  }
  return { resetCode, expiresAt: new Date(expiresAtS * 1000).toISOString() };
};
