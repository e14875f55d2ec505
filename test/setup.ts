import { expect, inject } from "vitest";
import { cognito, dynamo, eventBridge, s3, sqs } from "../packages/core/src/aws.ts";
import { recordClients, recordRan, recorder } from "./infra-recorder.ts";

// Test workers call the core and the router in-process too: give them the stack's configuration.
Object.assign(process.env, inject("stackEnv"));

// The IAM audit: what the service's clients send from this file's worker, and that the file ran
// (noted now: a file whose tests are all skipped runs no hook). Creating the clients sends
// nothing, so msw-based fault tests still see every connection.
const sdkCommandLog = inject("sdkCommandLog");
recordClients(recorder(sdkCommandLog), { dynamo: dynamo(), cognito: cognito(), s3: s3(), eventBridge: eventBridge(), sqs: sqs() });
recordRan(sdkCommandLog, expect.getState().testPath ?? "?");
