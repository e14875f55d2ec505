import committed from "../../client/openapi.json" with { type: "json" };

/**
 * `/openapi.json` as served: the document committed in packages/client/openapi.json (rendered from
 * the router at build time by `npm run openapi`, and checked current by test/openapi.test.ts), so
 * the service ships no generator. Only `servers` is filled in per request, with the origin the
 * request reached — the local stack's address, or behind API Gateway the API's own domain — so
 * generated clients and "Try it out" get an absolute URL that works.
 */
const document = committed as Record<string, unknown>;
const SERVER_DESCRIPTION = "This service, at the address this document was fetched from";

export const servedDocument = (origin: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(document).map(([key, value]) => [
      key,
      key === "servers" ? [{ url: origin, description: SERVER_DESCRIPTION }] : value,
    ]),
  );
