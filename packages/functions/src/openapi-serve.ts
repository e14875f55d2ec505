/**
 * `/openapi.json` as served: the document committed in packages/client/openapi.json (rendered from
 * the router at build time by `npm run openapi`, and checked current by test/openapi.test.ts), so
 * the service ships no generator. Only `servers` is filled in per request, with the origin the
 * request reached — the local stack's address, or behind API Gateway the API's own domain — so
 * generated clients and "Try it out" get an absolute URL that works.
 *
 * Loaded on the first request for it, not at start: 68 kB that every cold start would otherwise
 * parse. The Lambda build (infra/build.ts) ships the file next to the handler and points this
 * import at it.
 */
let loading: Promise<Record<string, unknown>> | undefined;
const committed = (): Promise<Record<string, unknown>> =>
  (loading ??= import("../../client/openapi.json", { with: { type: "json" } }).then(
    (m) => m.default as Record<string, unknown>,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  ));
const SERVER_DESCRIPTION = "This service, at the address this document was fetched from";

export const servedDocument = async (origin: string): Promise<Record<string, unknown>> =>
  Object.fromEntries(
    Object.entries(await committed()).map(([key, value]) => [
      key,
      key === "servers" ? [{ url: origin, description: SERVER_DESCRIPTION }] : value,
    ]),
  );
