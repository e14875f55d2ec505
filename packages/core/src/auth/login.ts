import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { findById } from "../user/store.ts";
import * as Cognito from "./cognito.ts";
import { assertNotLocked, clearFailures, recordFailure } from "./lockout.ts";

export type Tokens = {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: "Bearer";
};

const invalid = () => new AppError("UNAUTHORIZED", "Invalid email or password");

/** What Cognito (and cognito-local, which says InvalidPasswordException) answers for bad credentials. */
const BAD_CREDENTIALS = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "UserNotConfirmedException",
  "InvalidPasswordException",
  "PasswordResetRequiredException",
]);

/**
 * Password login. A wrong password and an unknown email give the same error; only with the right
 * password does the caller learn that the account is not activated or is suspended. Failures count
 * toward the account's lockout (auth/lockout.ts), whether or not the account exists.
 */
export const login = async (email: string, password: string): Promise<Tokens> => {
  await assertNotLocked(email);
  let result;
  try {
    result = await Cognito.passwordAuth(email, password);
  } catch (e) {
    if (!BAD_CREDENTIALS.has((e as Error).name)) throw e;
    await recordFailure(email);
    throw invalid();
  }
  const { AccessToken, IdToken = "", RefreshToken = "", ExpiresIn = 3600 } = result;
  const sub = String(decomposeUnverifiedJwt(AccessToken ?? "").payload.sub);
  const user = await findById(sub);
  if (!user) throw invalid();
  await clearFailures(email);
  if (user.status === "UNCONFIRMED") throw new AppError("FORBIDDEN", "Account not activated yet");
  if (user.status === "SUSPENDED") throw new AppError("FORBIDDEN", "Account suspended");
  await db().entities.user.patch({ id: sub }).set({ lastLoginAt: new Date().toISOString() }).go();
  return { accessToken: AccessToken ?? "", idToken: IdToken, refreshToken: RefreshToken, expiresIn: ExpiresIn, tokenType: "Bearer" };
};
