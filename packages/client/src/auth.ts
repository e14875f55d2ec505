/** How a client authenticates: a machine API key, a user's bearer token, or both. */
export type IamClientOptions = {
  /** The service's base URL, e.g. `http://127.0.0.1:3000` or the API Gateway URL (no `/trpc`). */
  url: string;
  /** Machine API key, sent as `x-api-key`. */
  apiKey?: string;
  /** Called before every request; a token it returns is sent as `Authorization: Bearer <token>`. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** A fetch to use instead of the global one (tests, proxies, retries). */
  fetch?: typeof globalThis.fetch;
};

export const baseUrl = (url: string): string => url.replace(/\/+$/, "");

export const authHeaders = async (options: IamClientOptions): Promise<Record<string, string>> => {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers["x-api-key"] = options.apiKey;
  const token = await options.getToken?.();
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
};
