import type { UserItem } from "./mapper.ts";

/**
 * Token revocation by time. Cognito JWTs stay valid until they expire, so the service keeps, per
 * user, the second before which tokens are refused. Token `iat` has one-second resolution: a
 * token issued in the same second as a revocation is refused too (log in again a second later).
 */
export const revocationTime = (now = Date.now()): number => Math.ceil(now / 1000);

export const isRevoked = (user: Pick<UserItem, "tokensValidAfter">, issuedAt: number): boolean =>
  user.tokensValidAfter !== undefined && issuedAt < user.tokensValidAfter;
