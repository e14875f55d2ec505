import { configDefaults, defineConfig } from "vitest/config";
import { TEST_SETTINGS } from "./test/settings.ts";

/**
 * The IAM audit: compares what infra grants each function with the AWS SDK commands the
 * integration run recorded (test/infra-recorder.ts), so it runs after every integration file.
 */
const AUDIT = ["test/infra-permissions.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "silent", ...TEST_SETTINGS },
    projects: [
      {
        extends: true,
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...AUDIT],
          // One local stack (DynamoDB Local, cognito-local, s3rver + the HTTP app) for the whole run.
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "audit",
          include: AUDIT,
          // Starts no stack: it reads the integration run's recording.
          globalSetup: ["test/infra-audit-setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
