export * as Badge from "./badge.ts";
