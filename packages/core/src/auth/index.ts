export * as Auth from "./auth.ts";
