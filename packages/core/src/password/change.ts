import * as Cognito from "../adapters/cognito.ts";
import { giveBack, reserve } from "../auth/lockout.ts";
import { checkPassword } from "../auth/login.ts";
import { AppError } from "../errors.ts";
import { recordRevocation, revokeSessions, type Revocation } from "../session/revoke.ts";
import type { UserItem } from "../user/mapper.ts";

/**
 * The signed-in user changes their password. The current password is checked by signing in with
 * it, under the login lockout (the caller's address, as login without `clientIp`): a wrong one is
 * a 403 and counts as a failed login, and a locked account gets 429. Afterwards every session
 * ends, the caller's own included (sign in again with the new password).
 */
export const change = async (user: UserItem, currentPassword: string, newPassword: string, clientIp?: string): Promise<Revocation> => {
  if (currentPassword === newPassword) throw new AppError("BAD_REQUEST", "The new password must differ from the current one");
  const attempt = await reserve(user.email, clientIp);
  await checkPassword(attempt, user.email, currentPassword, () => new AppError("FORBIDDEN", "The current password is not correct"));
  await giveBack(attempt);
  // Sessions end before the password changes (a crash or a lost answer below cannot leave them
  // alive), and again after it (a sign-in with the old password in between; Cognito's refresh tokens).
  await recordRevocation(user.id);
  await Cognito.setPassword(user.id, newPassword);
  return revokeSessions(user.id);
};
