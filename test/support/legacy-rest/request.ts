/**
 * What the REST adapter (trpc-to-openapi) leaves to its host, done once before it runs:
 * - path parameters arrive percent-decoded (`/user/handle/%40Ada` is `@Ada`), keeping `%2F` encoded
 *   so a parameter cannot grow extra path segments;
 * - a POST/PUT/PATCH without a body means `{}` (e.g. `POST /user/{id}/badge/{name}`);
 * - query parameter names must not shadow Object.prototype members (`valueOf`, `__proto__`, …):
 *   the adapter collects them in a plain object, where such a name breaks it (a 500 found by fuzzing);
 * - a JSON body must be an object, the only input shape a procedure accepts: an array or a scalar
 *   would otherwise be spread into an object and reach the procedure. It is a 400 here instead.
 */
export type Rejection = { status: 400; body: { message: string; code: "PARSE_ERROR" | "BAD_REQUEST" } };

const reservedName = (name: string) => name in Object.prototype;

const decodeSegment = (segment: string) => {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.includes("/") ? segment : decoded;
  } catch {
    return segment;
  }
};

/** The request as the REST adapter should see it: decoded path, and the JSON body already parsed. */
export type RestRequest = { request: Request; body: unknown };

export const normalizeRestRequest = async (req: Request): Promise<RestRequest | Rejection> => {
  const url = new URL(req.url);
  const path = url.pathname.split("/").map(decodeSegment).join("/");
  const pathChanged = path !== url.pathname;
  if (pathChanged) url.pathname = path;
  for (const name of url.searchParams.keys())
    if (reservedName(name))
      return { status: 400, body: { message: `Query parameter name '${name}' is not allowed`, code: "BAD_REQUEST" } };

  if (!["POST", "PUT", "PATCH"].includes(req.method))
    return { request: pathChanged ? new Request(url, req) : req, body: undefined };
  const text = await req.text();
  const headers = new Headers(req.headers);
  const request = (contentType?: string) => {
    if (contentType) headers.set("content-type", contentType);
    return new Request(url, { method: req.method, headers });
  };
  if (text.trim() === "") return { request: request("application/json"), body: {} };
  if (!headers.get("content-type")?.includes("application/json")) return { request: request(), body: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 400, body: { message: "Request body is not valid JSON", code: "PARSE_ERROR" } };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { status: 400, body: { message: "Request body must be a JSON object", code: "BAD_REQUEST" } };
  return { request: request(), body: parsed };
};
