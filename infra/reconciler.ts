import { auth } from "./auth.ts";
import { reconcilerPermissions } from "./permissions.ts";
import { assets, table } from "./storage.ts";

/**
 * The reconciler on a schedule: every minute, one pass (packages/functions/src/reconciler.ts) that
 * finishes or rolls back what a crash left between DynamoDB and Cognito — registration and role
 * intents, deletion tombstones — older than its bound (2 minutes). It reads the table, deletes S3
 * objects of deleted users and calls Cognito's admin API on this pool: it is linked to those (names
 * only) and granted what its code calls (infra/permissions.ts).
 */
export const reconciler = new sst.aws.Cron("Reconciler", {
  schedule: "rate(1 minute)",
  function: {
    handler: "packages/functions/src/reconciler.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memory: "512 MB",
    // Each item gets a request's budget (4 s); a minute is room for a backlog, and passes do not pile up.
    timeout: "60 seconds",
    environment: { NODE_ENV: "production", LOG_LEVEL: "info" },
    link: [table, assets, auth],
    permissions: reconcilerPermissions,
  },
});
