/**
 * `@iam/core/testing`: what tests (and the bench) reach past the front door for — the SDK clients
 * the service sends with (to record, count or answer their calls, or to look at an emulator
 * directly), the table's ElectroDB service (to read what a change left), the Cognito adapter (to
 * set up what a crash leaves behind) and the code hashing the table keys by. Production code never
 * imports it (the linter refuses it outside test/ and bench/).
 */
export { clientOptions, documentClient, dynamo } from "./adapters/aws.ts";
export { cognito } from "./adapters/cognito-sdk.ts";
export { eventBridge } from "./adapters/eventbridge-sdk.ts";
export { s3 } from "./adapters/s3-sdk.ts";
export { sqs } from "./adapters/sqs-sdk.ts";
export * as Cognito from "./adapters/cognito.ts";
export { db } from "./dynamo/service.ts";
export { readUser, userKey } from "./user/hot-read.ts";
export { ROLES, STATUSES } from "./dynamo/entities/user.ts";
export { addressHash, hashCode } from "./codes.ts";
export { CATALOGUE_END, CATALOGUE_START, exampleEvent, renderCatalogue } from "./events/doc.ts";
