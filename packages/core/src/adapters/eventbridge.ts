import type * as Sdk from "./eventbridge-sdk.ts";
export type { BusEntry, PutAnswer } from "./eventbridge-sdk.ts";

/**
 * The event bus, loaded on first use: this module is what the domain imports, and each call loads
 * eventbridge-sdk.ts (the SDK client, its commands) the first time. The Lambda build
 * (infra/build.ts) puts that module in a chunk of its own, so a cold start that does not call
 * EventBridge neither parses nor evaluates its code. Behaviour, errors included, is eventbridge-sdk.ts's.
 */
const sdk = (): Promise<typeof Sdk> => import("./eventbridge-sdk.ts");

/** EventBridge takes at most 10 entries per PutEvents. */
export const MAX_ENTRIES = 10;

export const putEvents: typeof Sdk.putEvents = async (...args) => (await sdk()).putEvents(...args);
