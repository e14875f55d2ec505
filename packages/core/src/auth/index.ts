import { AppError } from "../errors.ts";
import { toInfo } from "../user/info.ts";
import { find } from "../user/record.ts";
import type { Info } from "../user/schema.ts";
import { isLive } from "../user/sessions.ts";
import { verifyToken, type TokenUse, type VerifiedToken } from "./verifier.ts";

/**
 * Signing in and proving who you are: password login (under the lockout), and the check of a
 * Cognito token that every bearer route, the verify route and refresh share.
 */
export { login, type Tokens } from "./login.ts";
export { verifyToken, sessionStartOf, type TokenUse, type VerifiedToken } from "./verifier.ts";
export { ClientIp } from "./client-address.ts";

/** A signed-in caller: the verified token and the user as the API shows it. */
export type Caller = { token: VerifiedToken; user: Info };

/**
 * A Cognito token of the given use (bearer routes take access tokens only; the verify route says
 * which), verified, and then the one liveness rule (`isLive`): a token of a deleted, suspended or
 * unconfirmed user, or of a session begun before the user's sessions were revoked, is refused even
 * though Cognito's signature on it is still good. One GetItem.
 */
export const authenticate = async (token: string, use: TokenUse): Promise<Caller> => {
  const verified = await verifyToken(token, use);
  const user = await find(verified.sub);
  if (!isLive(user, verified.sessionStart)) throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  return { token: verified, user: toInfo(user) };
};
