import { expect, inject, vi } from "vitest";
import { recordClients, recordRan, recorder } from "./infra-recorder.ts";

// Test workers call the core and the router in-process too: give them the stack's configuration.
Object.assign(process.env, inject("stackEnv"));

// The IAM audit: that this file runs (noted now: a file whose tests are all skipped runs no hook),
// and what the service's SDK clients send from its worker — recorded from the moment the file's
// code first loads them (a mock that returns the real module), so a file that never talks to AWS
// does not pay for loading the SDK. Creating the clients sends nothing, so msw-based fault tests
// still see every connection.
const sdkCommandLog = inject("sdkCommandLog");
recordRan(sdkCommandLog, expect.getState().testPath ?? "?");
// The deep imports in the tests: the mocks must be of the modules core itself loads its clients
// from (DynamoDB's in aws.ts; the others in the adapters' *-sdk.ts, loaded on first use).
vi.mock(import("../packages/core/src/adapters/aws.ts"), async (importOriginal) => {
  const aws = await importOriginal();
  recordClients(recorder(sdkCommandLog), { dynamo: aws.dynamo() });
  return aws;
});
vi.mock(import("../packages/core/src/adapters/cognito-sdk.ts"), async (importOriginal) => {
  const sdk = await importOriginal();
  recordClients(recorder(sdkCommandLog), { cognito: sdk.cognito() });
  return sdk;
});
vi.mock(import("../packages/core/src/adapters/s3-sdk.ts"), async (importOriginal) => {
  const sdk = await importOriginal();
  recordClients(recorder(sdkCommandLog), { s3: sdk.s3() });
  return sdk;
});
vi.mock(import("../packages/core/src/adapters/sqs-sdk.ts"), async (importOriginal) => {
  const sdk = await importOriginal();
  recordClients(recorder(sdkCommandLog), { sqs: sdk.sqs() });
  return sdk;
});
vi.mock(import("../packages/core/src/adapters/eventbridge-sdk.ts"), async (importOriginal) => {
  const sdk = await importOriginal();
  recordClients(recorder(sdkCommandLog), { eventBridge: sdk.eventBridge() });
  return sdk;
});
