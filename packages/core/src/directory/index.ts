export * as Directory from "./directory.ts";
