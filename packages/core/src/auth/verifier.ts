import { JwtVerifier } from "aws-jwt-verify";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export type TokenUse = "access" | "id";

/**
 * Fetches the JWKS with the platform `fetch`, which speaks both https (AWS) and http
 * (cognito-local); aws-jwt-verify's default fetcher is https-only.
 */
const fetcher: Fetcher = {
  async fetch(uri) {
    const res = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`JWKS fetch failed: ${res.status}`);
    return res.arrayBuffer();
  },
};

const make = () => {
  const { issuer, clientId } = Config.auth;
  const jwksCache = new SimpleJwksCache({ fetcher });
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const expectUse =
    (use: TokenUse) =>
    ({ payload }: { payload: JwtPayload }) => {
      if (payload.token_use !== use) throw new Error(`expected an ${use} token`);
    };
  return {
    // Access tokens name the app client in `client_id`, id tokens in `aud`.
    access: JwtVerifier.create(
      {
        issuer,
        jwksUri,
        audience: null,
        customJwtCheck: (p) => {
          expectUse("access")(p);
          if (p.payload.client_id !== clientId) throw new Error("token issued to another client");
        },
      },
      { jwksCache },
    ),
    id: JwtVerifier.create({ issuer, jwksUri, audience: clientId, customJwtCheck: expectUse("id") }, { jwksCache }),
  };
};
let verifiers: ReturnType<typeof make> | undefined;

export type VerifiedToken = {
  sub: string;
  tokenUse: TokenUse;
  groups: string[];
  issuedAt: number;
  /** When the session behind the token began (epoch seconds): see `sessionStartOf`. */
  sessionStart: number;
  expiresAt: number;
};

const numeric = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/**
 * When the session behind a Cognito token began: `auth_time`, the time of the sign-in, which
 * Cognito keeps across refreshes (OIDC Core §12.2), so a token refreshed after a revocation still
 * names a session begun before it. Never later than `iat` (taking the earlier can only make the
 * check stricter); 0 — older than any revocation — when the token has neither.
 */
export const sessionStartOf = (payload: Record<string, unknown>): number => {
  const times = [numeric(payload.auth_time), numeric(payload.iat)].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : 0;
};

/**
 * Signature (RS256 against the pool's cached JWKS), issuer, expiry/not-before, `token_use` and app
 * client. Any failure is a 401; the reason is not told to the caller.
 */
export const verifyToken = async (token: string, use: TokenUse): Promise<VerifiedToken> => {
  verifiers ??= make();
  let payload: JwtPayload;
  try {
    payload = await verifiers[use].verify(token);
  } catch {
    throw new AppError("UNAUTHORIZED", "Invalid or expired token");
  }
  const groups = payload["cognito:groups"];
  return {
    sub: String(payload.sub),
    tokenUse: use,
    groups: Array.isArray(groups) ? groups.map(String) : [],
    issuedAt: Number(payload.iat ?? 0),
    sessionStart: sessionStartOf(payload),
    expiresAt: Number(payload.exp),
  };
};
