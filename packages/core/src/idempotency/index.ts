export * as Idempotency from "./records.ts";
