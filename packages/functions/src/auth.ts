import { AppError, ApiKey, Auth, User, type Scope } from "@iam/core";

/** The machine caller, if its key is valid and carries `scope` (401 without a valid key, 403 without the scope). */
export const authorizeKey = async (presented: string | null, scope: Scope): Promise<ApiKey.Caller> => {
  if (!presented) throw new AppError("UNAUTHORIZED", "Missing x-api-key header");
  const caller = await ApiKey.authenticate(presented);
  if (!caller.scopes.has(scope)) throw new AppError("FORBIDDEN", `This API key lacks the '${scope}' scope`);
  return caller;
};

/**
 * A Cognito token of the given use (bearer routes take access tokens only; the verify route says
 * which), verified, and then the one liveness rule (`User.isLive`): a token of a deleted, suspended
 * or unconfirmed user, or of a session begun before the user's sessions were revoked, is refused
 * even though Cognito's signature on it is still good. One GetItem.
 */
export const authenticate = async (token: string, use: Auth.TokenUse) => {
  const verified = await Auth.verifyToken(token, use);
  const user = await User.findById(verified.sub);
  if (!User.isLive(user, verified.sessionStart)) throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  return { token: verified, user };
};

export const bearerToken = (authorization: string | null): string => {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "Missing bearer token");
  return match[1];
};
