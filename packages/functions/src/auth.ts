import { createHash, timingSafeEqual } from "node:crypto";
import { AppError, Auth, Config, User } from "@iam/core";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time: both sides are hashed to equal length before comparing. */
export const checkApiKey = (presented: string | null): void => {
  if (!presented) throw new AppError("UNAUTHORIZED", "Missing x-api-key header");
  if (!timingSafeEqual(digest(presented), digest(Config.bootstrapApiKey)))
    throw new AppError("UNAUTHORIZED", "Invalid API key");
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
 * suspended user is refused even though Cognito's signature on it is still good. One GetItem.
 */
export const authenticate = async (token: string, use?: Auth.TokenUse) => {
  const verified = await Auth.verifyToken(token, use ?? tokenUse(token));
  const user = await User.findById(verified.sub);
  if (!user || user.status === "SUSPENDED") throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  return { token: verified, user };
};

export const bearerToken = (authorization: string | null): string => {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "Missing bearer token");
  return match[1];
};
