import type * as Sdk from "./sqs-sdk.ts";

/**
 * The webhook queue, loaded on first use: this module is what the domain imports, and each call loads
 * sqs-sdk.ts (the SDK client, its commands) the first time. The Lambda build
 * (infra/build.ts) puts that module in a chunk of its own, so a cold start that does not call
 * SQS neither parses nor evaluates its code. Behaviour, errors included, is sqs-sdk.ts's.
 */
const sdk = (): Promise<typeof Sdk> => import("./sqs-sdk.ts");

export const sendMessage: typeof Sdk.sendMessage = async (...args) => (await sdk()).sendMessage(...args);
