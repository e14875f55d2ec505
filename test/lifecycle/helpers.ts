import { bearer, rest } from "../helpers.ts";

/**
 * Revocation has one-second resolution: a token issued in the same second as a logout, password
 * change or reset is refused too. A test that signs in again afterwards waits past that second.
 */
export const pastRevocationSecond = () => new Promise((r) => setTimeout(r, 1100));

export const login = (email: string, password: string) =>
  rest("/auth/login", { method: "POST", body: { email, password } });

/** Status of `GET /public/user/me` with the token: 200 while it works, 401 once refused. */
export const meStatus = async (token: string) => (await rest("/public/user/me", { headers: bearer(token) })).status;

/** The payload of a JWT, unverified (tests read claims of tokens the service just issued). */
export const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
