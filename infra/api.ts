import { readFileSync } from "node:fs";
import { iamApiKey, iamCursorSecret, iamKeyIdSecret } from "./secrets.ts";
import { assets, assetsUrl, table } from "./storage.ts";
import { auth } from "./auth.ts";
import { apiPermissions } from "./permissions.ts";
import { apiEnvironment } from "./settings.ts";

/**
 * Packages left out of the bundle and installed next to it, at the version
 * packages/functions/package.json pins. `/docs` reads swagger-ui-dist's files from node_modules
 * at run time (createRequire().resolve), so it cannot be bundled.
 */
const functionDependencies: Record<string, string> = JSON.parse(
  readFileSync("packages/functions/package.json", "utf8"),
).dependencies;
const install = Object.fromEntries(["swagger-ui-dist"].map((name) => [name, functionDependencies[name] ?? "*"]));

/** The one Lambda: tRPC, REST, /openapi.json, /docs and /health (packages/functions/src/app.ts). */
export const api = new sst.aws.Function("Api", {
  handler: "packages/functions/src/handler.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "1024 MB",
  // Below API Gateway's 30 s integration limit, so the caller gets the function's own error.
  timeout: "20 seconds",
  environment: apiEnvironment($app.stage),
  nodejs: { minify: true, sourcemap: true, install },
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
