import { AppError, ApiKey, Auth, User, type Scope } from "@iam/core";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";

/** The machine caller, if its key is valid and carries `scope` (401 without a valid key, 403 without the scope). */
export const authorizeKey = async (presented: string | null, scope: Scope): Promise<ApiKey.Caller> => {
  if (!presented) throw new AppError("UNAUTHORIZED", "Missing x-api-key header");
  const caller = await ApiKey.authenticate(presented);
  if (!caller.scopes.has(scope)) throw new AppError("FORBIDDEN", `This API key lacks the '${scope}' scope`);
  return caller;
};

const tokenUse = (token: string): Auth.TokenUse => {
  try {
    return decomposeUnverifiedJwt(token).payload.token_use === "id" ? "id" : "access";
  } catch {
    throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  }
};

/**
 * A Cognito access or id token, verified, and then the user's own state: a token of a deleted or
 * suspended user, or one issued before the user's sessions were revoked, is refused even though
 * Cognito's signature on it is still good. One GetItem.
 */
export const authenticate = async (token: string, use?: Auth.TokenUse) => {
  const verified = await Auth.verifyToken(token, use ?? tokenUse(token));
  const user = await User.findById(verified.sub);
  if (!user || user.status === "SUSPENDED" || User.isRevoked(user, verified.issuedAt))
    throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  return { token: verified, user };
};

export const bearerToken = (authorization: string | null): string => {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "Missing bearer token");
  return match[1];
};
