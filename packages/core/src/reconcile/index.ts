export * as Reconciler from "./reconciler.ts";
