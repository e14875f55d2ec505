import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * cognito-local signs every pool's tokens with one key pair shipped in its package. Tests sign
 * with that same private key, so a token they change differs from a real one only in the claims
 * they change (a re-signed copy of a real token is accepted: the control).
 */
const keysDir = join(dirname(createRequire(import.meta.url).resolve("cognito-local/package.json")), "lib", "keys");
const privateJwk = JSON.parse(readFileSync(join(keysDir, "cognitoLocal.private.json"), "utf8")).jwk;
const publicJwk = JSON.parse(readFileSync(join(keysDir, "cognitoLocal.public.json"), "utf8")).jwk;
const privateKey = createPrivateKey({ key: privateJwk, format: "jwk" });
export const publicPem = createPublicKey({ key: publicJwk, format: "jwk" })
  .export({ type: "spki", format: "pem" })
  .toString();

export const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

export const parts = (token: string) => {
  const [h = "", p = ""] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString()),
    payload: JSON.parse(Buffer.from(p, "base64url").toString()),
  };
};

export const rs256 = (header: object, payload: object) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
};

/** A real token with some claims changed, signed as cognito-local signs. */
export const resigned = (token: string, claims: Record<string, unknown>) => {
  const { header, payload } = parts(token);
  return rs256(header, { ...payload, ...claims });
};
