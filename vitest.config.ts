import { defineConfig } from "vitest/config";
import { TEST_SETTINGS } from "./test/settings.ts";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    // One local stack (DynamoDB Local, cognito-local, s3rver + the HTTP app) for the whole run.
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "silent", ...TEST_SETTINGS },
  },
});
