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

/** tRPC over HTTP returning status and body, for asserting error statuses on the tRPC transport. */
export const trpcCall = async (
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string>,
  type: "query" | "mutation" = "mutation",
) => {
  const res =
    type === "query"
      ? await fetch(`${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${baseUrl}/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(input),
        });
  const json = (await res.json()) as {
    result?: { data: unknown };
    error?: { message: string; data?: { httpStatus?: number } };
  };
  return { status: res.status, data: json.result?.data as any, error: json.error };
};
