import { PRODUCTION_STAGE, isProduction } from "./stage.ts";

/**
 * The Api function's settings: the plain environment variables the code reads (`Config` in
 * packages/core/src/config.ts, the logger). Every one the code reads is declared here, with the
 * value the code would fall back to, so a deployment never runs on an accident
 * (test/infra.test.ts compares the two lists). A pure module: no SST global is used.
 */

/**
 * Browser origins allowed to call `/public/*` and `/trpc` (CORS), per stage; a stage not listed
 * allows none. Exact origins only (`https://app.example.com`), never `*`. The app owns CORS:
 * API Gateway declares none (infra/api.ts), and the S2S routes never answer a preflight.
 */
export const CORS_ORIGINS: Readonly<Record<string, readonly string[]>> = {
  // [PRODUCTION_STAGE]: ["https://app.example.com"],
};

/** `IAM_CORS_ORIGINS` for a stage: comma-separated, empty when none. `production` reads `prod`'s list. */
export const corsOriginsFor = (
  stage: string,
  origins: Readonly<Record<string, readonly string[]>> = CORS_ORIGINS,
): string => (origins[isProduction(stage) ? PRODUCTION_STAGE : stage] ?? []).join(",");

export const apiEnvironment = (stage: string): Record<string, string> => ({
  // For the libraries: tRPC treats any other value as development.
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  IAM_ACTIVATION_TTL_SECONDS: String(72 * 3600),
  IAM_LOCKOUT_MAX_FAILURES: "5",
  IAM_LOCKOUT_ACCOUNT_MAX_FAILURES: String(20 * 5),
  IAM_LOCKOUT_WINDOW_SECONDS: String(15 * 60),
  IAM_CORS_ORIGINS: corsOriginsFor(stage),
  // One request's budget for all its AWS calls (core/deadline.ts): under API Gateway's 30 s and the function's 20 s.
  IAM_REQUEST_DEADLINE_MS: "4000",
  // Events' TTL (core/events/store.ts), written with every change.
  IAM_EVENT_RETENTION_DAYS: "400",
});

/**
 * The webhook sender's settings (infra/events.ts): `IAM_WEBHOOK_*` are read by it alone, so the
 * Api does not declare them (test/infra-events.test.ts checks both lists).
 */
export const webhookSenderEnvironment = (): Record<string, string> => ({
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  // Seconds before each retry: 8 retries over about 10 hours, then a dead letter.
  IAM_WEBHOOK_RETRY_SCHEDULE: "5,30,120,600,1800,3600,10800,21600",
  IAM_WEBHOOK_TIMEOUT_SECONDS: "10",
});
