import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { Auth, Config } from "@iam/core";
import type { JwtResult } from "../lib/results.ts";
import { interleave, summarize } from "../lib/stats.ts";

export const JWT_TARGET = 2;

/** Counts JWKS downloads: the service's fetcher uses the global `fetch`. Install before any verify. */
export const jwksFetchCounter = () => {
  const original = globalThis.fetch;
  let count = 0;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes("jwks")) count++;
    return original(input, init);
  };
  /** `uncounted` is for the bench's own downloads. */
  return { count: () => count, uncounted: original };
};

/** The token's signing key, fetched once from the pool's JWKS (outside any timing). */
export const signingKey = async (token: string, fetch: typeof globalThis.fetch): Promise<KeyObject> => {
  const { header } = decomposeUnverifiedJwt(token);
  const res = await fetch(`${Config.auth.issuer}/.well-known/jwks.json`);
  const { keys } = (await res.json()) as { keys: (JsonWebKey & { kid?: string })[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no JWK with kid ${header.kid}`);
  return createPublicKey({ key: jwk, format: "jwk" });
};

/**
 * The service's verifier (aws-jwt-verify with the cached JWKS: signature, issuer, expiry,
 * token_use, client) against a bare RS256 `crypto.verify` of the same token, interleaved in batches
 * (one verify is tens of microseconds: too short to time alone).
 */
export const measureJwt = async (
  token: string,
  options: { rounds: number; warmup: number; batch: number; fetch: typeof globalThis.fetch },
): Promise<Omit<JwtResult, "jwksFetchesAfterWarmup" | "jwksFetchesTotal">> => {
  const key = await signingKey(token, options.fetch);
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("not a JWT");
  const signed = Buffer.from(`${header}.${payload}`);
  const bare = () => {
    if (!verify("RSA-SHA256", signed, key, Buffer.from(signature, "base64url"))) throw new Error("bad signature");
  };
  const service = () => Auth.verifyToken(token, "access");
  const samples = await interleave({ service, bare }, options);
  const [sub, base] = [summarize(samples.service), summarize(samples.bare)];
  return {
    comparison: {
      name: "verify access token",
      baseline: "crypto.verify RS256",
      subject: sub,
      base,
      ratio: sub.median / base.median,
      target: JWT_TARGET,
    },
    tokensPerSample: options.batch,
  };
};
