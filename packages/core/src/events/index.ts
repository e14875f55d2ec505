export * as Events from "./events.ts";
