import { db } from "../dynamo/service.ts";
import { retryTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { hashCode, newCode } from "../user/codes.ts";
import { emailHash } from "./codes.ts";

/** How long a reset code stays valid. */
export const RESET_TTL_SECONDS = 3600;

export type ResetTicket = { resetCode: string; expiresAt: string };

/**
 * Issues a single-use reset code for the caller to deliver (e-mail, SMS…). Known and unknown
 * addresses get the same answer and cost the same work — one GetItem (the address's guard, which
 * names the account or nothing) and one TransactWrite (the code, and the address's pointer to it,
 * which replaces any earlier code) — so neither the answer nor its timing tells whether the address
 * has an account. The code of an unknown address names no user and resets nothing.
 */
export const forgot = async (email: string): Promise<ResetTicket> => {
  const resetCode = newCode();
  const codeHash = hashCode(resetCode);
  const expiresAt = Math.floor(Date.now() / 1000) + RESET_TTL_SECONDS;
  const address = emailHash(email);
  const { data: guard } = await db().entities.unique.get({ kind: "email", value: email.toLowerCase() }).go();
  const result = await retryTransaction(() =>
    db()
      .transaction.write(({ passwordReset, resetPointer }) => [
        passwordReset.put({ codeHash, emailHash: address, userId: guard?.userId, expiresAt }).commit(),
        resetPointer.put({ emailHash: address, codeHash, expiresAt }).commit(),
      ])
      .go(),
  );
  if (result.canceled) throw new AppError("CONFLICT", "Another reset of this address is under way; retry");
  return { resetCode, expiresAt: new Date(expiresAt * 1000).toISOString() };
};
