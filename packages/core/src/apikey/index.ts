export * as ApiKey from "./keys.ts";
