/**
 * @iam/core's front door: one namespace per domain (each its folder's index.ts), and the few
 * things every layer shares. Code outside core imports from here only; tests also have
 * `@iam/core/testing` (testing.ts).
 */
export * as User from "./user/index.ts";
export * as Auth from "./auth/index.ts";
export * as Session from "./session/index.ts";
export * as Password from "./password/index.ts";
export * as Profile from "./profile/index.ts";
export * as Badge from "./badge/index.ts";
export * as Avatar from "./avatar/index.ts";
export * as Assets from "./assets/index.ts";
export * as Directory from "./directory/index.ts";
export * as ApiKey from "./apikey/index.ts";
export * as Events from "./events/index.ts";
export * as Idempotency from "./idempotency/index.ts";
export * as Health from "./health/index.ts";
export * as Reconciler from "./reconcile/index.ts";
export { AppError, isAppError, type AppErrorCode } from "./errors.ts";
export { Config, weakBootstrapKey, parseRetrySchedule, parseWebhookUrls } from "./config.ts";
export { TableDefinition } from "./dynamo/table.ts";
export { withDeadline, remainingMs, DeadlineExceeded } from "./deadline.ts";
export { dependencyFailure } from "./adapters/aws.ts";
