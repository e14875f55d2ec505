import * as Cognito from "../adapters/cognito.ts";
import { clearAccount } from "../auth/lockout.ts";
import { db } from "../dynamo/service.ts";
import { retryTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { recordRevocation, revokeSessions, type Revocation } from "../session/revoke.ts";
import { hashCode } from "../user/codes.ts";
import { findById } from "../user/store.ts";

const unknownCode = () => new AppError("NOT_FOUND", "Unknown or already used reset code");

/**
 * Sets a new password with a reset code. The code must be its address's current one (a newer
 * `forgot` replaced it otherwise) and name a user (a code issued for an unknown address answers
 * like any unknown code). It is consumed first — the code and the pointer to it deleted in one
 * transaction, on condition that both are still there, so of two racing requests only one
 * proceeds; if Cognito then refuses the password, both are put back. Every session of the user
 * ends — recorded before the password is set and again after — and the account-wide lockout
 * window closes.
 */
export const reset = async (code: string, newPassword: string): Promise<{ userId: string } & Revocation> => {
  const codeHash = hashCode(code);
  const { data: pending } = await db().entities.passwordReset.get({ codeHash }).go({ consistent: true });
  if (!pending) throw unknownCode();
  if (pending.expiresAt * 1000 < Date.now()) throw new AppError("GONE", "Reset code has expired");
  if (!pending.userId) throw unknownCode();
  const user = await findById(pending.userId, { consistent: true });
  const consumed = await retryTransaction(() =>
    db()
      .transaction.write(({ passwordReset, resetPointer }) => [
        passwordReset.delete({ codeHash }).where((c, { exists }) => exists(c.emailHash)).commit(),
        resetPointer.delete({ emailHash: pending.emailHash }).where((p, { eq }) => eq(p.codeHash, codeHash)).commit(),
      ])
      .go(),
  );
  if (consumed.canceled || !user) throw unknownCode();
  // Sessions end before the password changes: a crash or a lost answer below cannot leave them alive.
  await recordRevocation(user.id);
  try {
    await Cognito.setPassword(user.id, newPassword);
  } catch (e) {
    // Put the code back, and its pointer unless a newer code has taken its place meanwhile.
    await db()
      .transaction.write(({ passwordReset, resetPointer }) => [
        passwordReset.put(pending).commit(),
        resetPointer.create({ emailHash: pending.emailHash, codeHash, expiresAt: pending.expiresAt }).commit(),
      ])
      .go();
    throw e;
  }
  // Again after: a sign-in with the old password in between, and Cognito's own refresh tokens.
  const revocation = await revokeSessions(user.id);
  await clearAccount(user.email);
  return { userId: user.id, ...revocation };
};
