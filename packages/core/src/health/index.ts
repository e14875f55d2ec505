export * as Health from "./readiness.ts";
