import { API_HANDLER, buildApi } from "./build.ts";
import { iamApiKey, iamCursorSecret, iamKeyIdSecret } from "./secrets.ts";
import { assets, assetsUrl, table } from "./storage.ts";
import { auth } from "./auth.ts";
import { apiPermissions } from "./permissions.ts";
import { apiEnvironment } from "./settings.ts";

/**
 * The function's code: infra/build.ts builds it (the one build: the bundle test invokes it, the
 * bench measures it) into a fresh directory under .sst/artifacts/, which SST zips as it is. `nodejs` options do not apply
 * to a `bundle`: minification, the source map and swagger-ui-dist's files for /docs are the build's.
 */
export const apiBuild = buildApi();

/** The one Lambda: tRPC, REST, /openapi.json, /docs and /health (packages/functions/src/app.ts). */
export const api = new sst.aws.Function("Api", {
  bundle: apiBuild.then((b) => b.dir),
  handler: API_HANDLER,
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "1024 MB",
  // Below API Gateway's 30 s integration limit, so the caller gets the function's own error.
  timeout: "20 seconds",
  environment: apiEnvironment($app.stage),
  // Names only (infra/storage.ts); what the function may do is `permissions`, nothing more.
  link: [table, assets, assetsUrl, auth, iamApiKey, iamCursorSecret, iamKeyIdSecret],
  permissions: apiPermissions,
});

/** API Gateway throttling for the whole stage (token bucket: steady rate, burst). */
export const THROTTLING = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * HTTP API (payload v2.0) with one catch-all route to the function; routing happens in the app.
 * `cors: false`: the app owns CORS (per route, origins from IAM_CORS_ORIGINS). Left out, SST's
 * default would answer every preflight itself with `*` for every origin, method and header.
 */
export const httpApi = new sst.aws.ApiGatewayV2("HttpApi", {
  cors: false,
  transform: {
    stage: {
      defaultRouteSettings: {
        throttlingRateLimit: THROTTLING.rateLimit,
        throttlingBurstLimit: THROTTLING.burstLimit,
      },
    },
  },
});

httpApi.route("$default", api.arn);
