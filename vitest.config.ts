import { configDefaults, defineConfig } from "vitest/config";
import { TEST_SETTINGS } from "./test/settings.ts";

/**
 * The IAM audit: compares what infra grants each function with the AWS SDK commands the
 * integration run recorded (test/infra-recorder.ts), so it runs after every integration file.
 */
const AUDIT = ["test/infra-permissions.test.ts"];

/**
 * Tests that need no local stack (`npm run test:unit`: seconds, no Java, no emulator): the tests
 * beside the code (pure functions, schemas, the trigger, the local package's lock, store and start
 * errors) and the checks under test/ that evaluate code in-process (infra, the events doc, lint).
 */
const UNIT_UNDER_TEST = [
  "test/infra.test.ts",
  "test/infra-events.test.ts",
  "test/events/docs.test.ts",
  "test/lint-boundaries.test.ts",
];
/** Tests beside the code that do write to the table, so they run with the stack. */
const STACK_BESIDE_CODE = ["packages/core/src/user/data.test.ts"];

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
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", ...UNIT_UNDER_TEST],
          exclude: [...configDefaults.exclude, ...STACK_BESIDE_CODE],
          // No global setup, no setup file: nothing starts. Resources have names only (an ElectroDB
          // entity can build its request), and every AWS endpoint is a closed port, so a unit test
          // that sends a request fails at once instead of finding a service.
          env: {
            SST_RESOURCE_Table: JSON.stringify({ name: "unit-tests-have-no-table" }),
            AWS_ENDPOINT_URL: "http://127.0.0.1:9/",
            AWS_REGION: "us-east-1",
          },
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts", ...STACK_BESIDE_CODE],
          exclude: [...configDefaults.exclude, ...AUDIT, ...UNIT_UNDER_TEST],
          // One local stack (DynamoDB Local, cognito-local, s3rver + the HTTP app) for the whole run.
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "audit",
          include: AUDIT,
          // Starts no stack: it reads the integration run's recording.
          globalSetup: ["test/infra-audit-setup.ts"],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
