import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import * as Cognito from "../adapters/cognito.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { find, type Recording, update } from "../user/record.ts";
import { isLive, revocationTime } from "../user/sessions.ts";

/**
 * Sessions: ending every session of a user (logout, and the changes that must end them), and
 * refreshing tokens under the same liveness rule as every bearer route.
 */

export type Revocation = {
  /** Epoch seconds: every token, and every session (refresh token), that began before is refused. */
  tokensValidAfter: number;
};

/**
 * Writes our own revocation record (`tokensValidAfter`) only: what every route and the refresh
 * check read, so every session begun before is over for this service from here on. A change that
 * also touches Cognito (a password set) calls this FIRST, so that a crash or a lost answer in
 * between can leave sessions ended too early, never alive too long. `record`: the events of this
 * write (`session.ended`, and what ended them), committed with the revocation time.
 */
export const recordRevocation = async (userId: string, record?: Recording): Promise<Revocation> => {
  const tokensValidAfter = revocationTime();
  await update(userId, { set: { tokensValidAfter } }, record ? { record } : {});
  return { tokensValidAfter };
};

/**
 * Ends every session of the user: first our own record, which holds whatever Cognito does; then
 * Cognito's global sign-out, which on AWS also revokes the refresh tokens at the source.
 */
export const revokeSessions = async (userId: string, record?: Recording): Promise<Revocation> => {
  const revocation = await recordRevocation(userId, record);
  await Cognito.globalSignOut(userId);
  return revocation;
};

/** The user ends every session of theirs (`session.ended`, reason `logout`). */
export const logout = (userId: string, audit: Audit = SYSTEM): Promise<Revocation> =>
  revokeSessions(userId, { audit, events: [{ type: "session.ended", data: { reason: "logout" } }] });

export type RefreshedTokens = {
  accessToken: string;
  idToken: string;
  expiresIn: number;
  tokenType: "Bearer";
};

const invalid = () => new AppError("UNAUTHORIZED", "Invalid or expired refresh token");

const numericClaim = (token: string, claim: string): number | undefined => {
  try {
    const value = decomposeUnverifiedJwt(token).payload[claim];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined; // not a JWT: AWS refresh tokens are encrypted (JWE)
  }
};

/**
 * When the session behind a refresh began, in epoch seconds: the earliest of
 * - `auth_time` of the refreshed access token — the original sign-in time, which Cognito keeps
 *   across refreshes (OIDC Core §12.2); cognito-local sets it to "now" instead, and
 * - `iat` of the refresh token, when the refresh token is a readable JWT (cognito-local's are;
 *   AWS's are encrypted and yield nothing).
 * Each is a claim of a token Cognito has just accepted; taking the minimum can only make the
 * check stricter, so an unverified `iat` cannot help a caller past it.
 */
export const sessionStart = (refreshToken: string, accessToken: string): number => {
  const times = [numericClaim(accessToken, "auth_time"), numericClaim(refreshToken, "iat")].filter(
    (t): t is number => t !== undefined,
  );
  return times.length > 0 ? Math.min(...times) : 0;
};

/**
 * New access and id tokens for a refresh token, unless the user is gone, not CONFIRMED, or its
 * sessions were revoked after this one began (logout, password change or reset, suspension).
 */
export const refresh = async (refreshToken: string): Promise<RefreshedTokens> => {
  const result = await Cognito.refreshAuth(refreshToken);
  if (!result) throw invalid();
  const { AccessToken, IdToken = "", ExpiresIn = 3600 } = result;
  let sub: string;
  try {
    sub = String(decomposeUnverifiedJwt(AccessToken).payload.sub);
  } catch {
    throw new Error("Cognito returned an unreadable access token");
  }
  const user = await find(sub, { consistent: true });
  if (!isLive(user, sessionStart(refreshToken, AccessToken))) throw invalid();
  return { accessToken: AccessToken, idToken: IdToken, expiresIn: ExpiresIn, tokenType: "Bearer" };
};
