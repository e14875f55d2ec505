export * as Session from "./session.ts";
