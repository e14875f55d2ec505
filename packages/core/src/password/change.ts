import * as Cognito from "../auth/cognito.ts";
import { assertNotLocked, clearFailures, recordFailure } from "../auth/lockout.ts";
import { AppError } from "../errors.ts";
import { revokeSessions, type Revocation } from "../session/revoke.ts";
import type { UserItem } from "../user/mapper.ts";
import { rejectWeakPassword } from "./cognito-errors.ts";

/** What Cognito answers for a wrong password (cognito-local says InvalidPasswordException). */
const WRONG_PASSWORD = new Set(["NotAuthorizedException", "InvalidPasswordException", "UserNotFoundException"]);

/**
 * The signed-in user changes their password. The current password is checked by signing in with
 * it, under the login lockout: a wrong one counts as a failed login and a locked account gets 429.
 * Afterwards every session ends, the caller's own included (sign in again with the new password).
 */
export const change = async (user: UserItem, currentPassword: string, newPassword: string): Promise<Revocation> => {
  if (currentPassword === newPassword) throw new AppError("BAD_REQUEST", "The new password must differ from the current one");
  await assertNotLocked(user.email);
  try {
    await Cognito.passwordAuth(user.email, currentPassword);
  } catch (e) {
    if (!WRONG_PASSWORD.has((e as Error).name)) throw e;
    await recordFailure(user.email);
    throw new AppError("FORBIDDEN", "The current password is not correct");
  }
  await clearFailures(user.email);
  try {
    await Cognito.setPassword(user.id, newPassword);
  } catch (e) {
    throw rejectWeakPassword(e);
  }
  return revokeSessions(user.id);
};
