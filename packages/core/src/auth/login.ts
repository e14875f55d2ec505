import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { find, type UserItem } from "../user/record.ts";
import { isRevoked } from "../user/sessions.ts";
import * as Cognito from "../adapters/cognito.ts";
import { recordFailure } from "./failures.ts";
import { giveBack, reserve, type Attempt } from "./lockout.ts";
import { sessionStartOf } from "./verifier.ts";

export type Tokens = {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: "Bearer";
};

const invalid = () => new AppError("UNAUTHORIZED", "Invalid email or password");

/**
 * The password check under a reserved attempt. Bad credentials are a failure: the attempt keeps
 * its place in the lockout counters, and is recorded (`session.login_failed`). Any other error
 * (throttling, an outage) is no verdict on the password, so the place is given back — best
 * effort: the caller gets Cognito's error either way, and a place not given back only counts
 * against the limit.
 */
export const checkPassword = async (
  attempt: Attempt,
  email: string,
  password: string,
  audit: Audit,
  wrong: () => AppError = invalid,
): Promise<Cognito.SignedIn> => {
  let result: Cognito.SignedIn | null;
  try {
    result = await Cognito.passwordAuth(email, password);
  } catch (e) {
    await giveBack(attempt).catch(() => undefined);
    throw e;
  }
  if (!result) {
    await recordFailure(email, { type: "session.login_failed", data: { reason: "invalid_credentials" } }, audit);
    throw wrong();
  }
  return result;
};

const claimsOf = (jwt: string): Record<string, unknown> => decomposeUnverifiedJwt(jwt).payload;
const MAX_SIGN_INS = 3;

/**
 * Tokens that work at once. Revocation has one-second resolution: a session begun in the second of
 * the user's last revocation (or before it) is refused by every route. Rather than hand out such
 * tokens, wait for the next second (at most ~1 s) and sign in again — not a failure: Cognito has
 * just accepted this password. The check itself is not loosened.
 */
const liveTokens = async (
  attempt: Attempt,
  user: UserItem,
  email: string,
  password: string,
  first: Cognito.SignedIn,
  audit: Audit,
) => {
  let result = first;
  // The user is CONFIRMED (checked by the caller): of the liveness rule, only the revocation is left.
  for (let signIns = 1; isRevoked(user, sessionStartOf(claimsOf(result.AccessToken))); signIns++) {
    if (signIns >= MAX_SIGN_INS)
      throw new AppError("SERVICE_UNAVAILABLE", "Could not issue tokens; retry", { retryAfterSeconds: 1 });
    const validFrom = (user.tokensValidAfter ?? 0) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, validFrom - Date.now()) + 10));
    result = await checkPassword(attempt, email, password, audit);
  }
  return result;
};

/**
 * Password login. The attempt is reserved in the lockout (per account and client address, and per
 * account) before the password reaches Cognito, so no burst of attempts gets more than the limit
 * checked. A wrong password and an unknown email give the same error; only with the right
 * password does the caller learn that the account is not activated or is suspended.
 *
 * DynamoDB requests on success: the reservation (TransactWrite), the user (GetItem), and one
 * TransactWrite that gives the reservation back, sets `lastLoginAt` and records
 * `session.login_succeeded` (if DynamoDB cancels it every time, the last two follow in a write of
 * their own: auth/lockout.ts giveBack). A failure records `session.login_failed` (or `session.locked_out`)
 * in a write of its own, for an unknown address as for a known one (auth/failures.ts).
 *
 * `audit.sourceIp` is the client's address: the lockout's key and the events' `sourceIp`.
 */
export const login = async (email: string, password: string, audit: Audit = SYSTEM): Promise<Tokens> => {
  const attempt = await reserve(email, audit.sourceIp, audit);
  const result = await checkPassword(attempt, email, password, audit);
  const sub = String(claimsOf(result.AccessToken).sub);
  const user = await find(sub);
  // Cognito knows the password but the profile is gone (a deletion under way): a failure like any.
  if (!user) {
    await recordFailure(email, { type: "session.login_failed", data: { reason: "invalid_credentials" } }, audit);
    throw invalid();
  }
  if (user.status !== "CONFIRMED") {
    await giveBack(attempt);
    const reason = user.status === "SUSPENDED" ? "suspended" : "unconfirmed";
    await recordFailure(email, { type: "session.login_failed", data: { reason } }, audit);
    throw new AppError("FORBIDDEN", user.status === "SUSPENDED" ? "Account suspended" : "Account not activated yet");
  }
  const {
    AccessToken,
    IdToken = "",
    RefreshToken = "",
    ExpiresIn = 3600,
  } = await liveTokens(attempt, user, email, password, result, audit);
  const record = { audit, events: [{ type: "session.login_succeeded", data: {} }] } as const;
  if (!(await giveBack(attempt, { userId: sub, at: new Date().toISOString(), record }))) throw invalid();
  return {
    accessToken: AccessToken,
    idToken: IdToken,
    refreshToken: RefreshToken,
    expiresIn: ExpiresIn,
    tokenType: "Bearer",
  };
};
