import * as Cognito from "../auth/cognito.ts";
import { clearFailures } from "../auth/lockout.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { revokeSessions, type Revocation } from "../session/revoke.ts";
import { hashCode } from "../user/codes.ts";
import { findById } from "../user/store.ts";
import { removeCodesOf } from "./codes.ts";
import { rejectWeakPassword } from "./cognito-errors.ts";

const unknownCode = () => new AppError("NOT_FOUND", "Unknown or already used reset code");

/**
 * Sets a new password with a reset code: the code is consumed first, on condition that it still
 * exists (so of two racing requests only one proceeds); if Cognito then refuses the password, the
 * code is put back. Afterwards every session of the user ends, the user's other codes are removed
 * and the login lockout is lifted.
 */
export const reset = async (code: string, newPassword: string): Promise<{ userId: string } & Revocation> => {
  const codeHash = hashCode(code);
  const { data: pending } = await db().entities.passwordReset.get({ codeHash }).go({ consistent: true });
  if (!pending) throw unknownCode();
  if (pending.expiresAt * 1000 < Date.now()) {
    await db().entities.passwordReset.delete({ codeHash }).go();
    throw new AppError("GONE", "Reset code has expired");
  }
  const user = await findById(pending.userId, { consistent: true });
  try {
    await db().entities.passwordReset.delete({ codeHash }).where((c, { exists }) => exists(c.userId)).go();
  } catch (e) {
    if (isConditionFailure(e)) throw unknownCode();
    throw e;
  }
  if (!user) throw unknownCode();
  try {
    await Cognito.setPassword(user.id, newPassword);
  } catch (e) {
    await db().entities.passwordReset.put(pending).go();
    throw rejectWeakPassword(e);
  }
  const revocation = await revokeSessions(user.id);
  await clearFailures(user.email);
  await removeCodesOf(user.id);
  return { userId: user.id, ...revocation };
};
