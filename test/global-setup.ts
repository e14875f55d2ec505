import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import getPort from "get-port";
import type { TestProject } from "vitest/node";
import { startServer } from "@iam/local/server";
import { startStack } from "@iam/local/stack";
import { recordClients, recorder, sdkCommandLogDir } from "./infra-recorder.ts";
import { TEST_SETTINGS } from "./settings.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
    baseUrl: string;
    apiKey: string;
    /** Where this run records the AWS SDK commands the service sends (test/infra-recorder.ts). */
    sdkCommandLog: string;
  }
}

/** Starts the local stack on free ports in a temp folder, and the HTTP app on it, for all test files. */
export default async function setup(project: TestProject) {
  process.env.LOG_LEVEL ??= "error";
  Object.assign(process.env, TEST_SETTINGS);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const dataDir = await mkdtemp(join(tmpdir(), "iam-test-"));
  const stack = await startStack({
    dataDir,
    inMemory: true,
    apiKey: `iam_test_${randomBytes(32).toString("base64url")}`,
  });
  Object.assign(process.env, stack.env);
  // The IAM audit: record what the shared server's SDK clients (the ones core uses) send.
  const sdkCommandLog = sdkCommandLogDir();
  await rm(sdkCommandLog, { recursive: true, force: true });
  const { cognito, dynamo, s3 } = await import("@iam/core/testing");
  recordClients(recorder(sdkCommandLog), { dynamo: dynamo(), cognito: cognito(), s3: s3() });
  const server = await startServer(await getPort());
  project.provide("sdkCommandLog", sdkCommandLog);
  project.provide("stackEnv", stack.env);
  project.provide("baseUrl", server.url);
  project.provide("apiKey", stack.apiKey);
  return async () => {
    await server.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sdkCommandLog, { recursive: true, force: true });
  };
}
