import type { UserItem } from "./record.ts";

/**
 * Token revocation by time. Cognito JWTs stay valid until they expire, so the service keeps, per
 * user, `tokensValidAfter`: the second before which sessions are refused. Token times have
 * one-second resolution, so a session begun in the same second as a revocation is refused too;
 * login waits for the next second instead of handing out such tokens (auth/login.ts).
 */
export const revocationTime = (now = Date.now()): number => Math.ceil(now / 1000);

export const isRevoked = (user: Pick<UserItem, "tokensValidAfter">, sessionStart: number): boolean =>
  user.tokensValidAfter !== undefined && sessionStart < user.tokensValidAfter;

/**
 * The one liveness rule, for every bearer route, the verify route, refresh and login: the user
 * exists, is CONFIRMED (not suspended, not set back to unconfirmed), and the session began
 * (`sessionStart`: a token's `auth_time`, see `Auth.sessionStartOf` and `Session.sessionStart`)
 * no earlier than the user's last revocation (logout, password change or reset, role change,
 * suspension).
 */
export const isLive = (user: UserItem | null | undefined, sessionStart: number): user is UserItem =>
  user !== null && user !== undefined && user.status === "CONFIRMED" && !isRevoked(user, sessionStart);
