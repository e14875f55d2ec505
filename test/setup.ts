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
// The one deep import in the tests: the mock must be of the module core itself loads its clients from.
vi.mock(import("../packages/core/src/adapters/aws.ts"), async (importOriginal) => {
  const aws = await importOriginal();
  recordClients(recorder(sdkCommandLog), {
    dynamo: aws.dynamo(),
    cognito: aws.cognito(),
    s3: aws.s3(),
    eventBridge: aws.eventBridge(),
    sqs: aws.sqs(),
  });
  return aws;
});
