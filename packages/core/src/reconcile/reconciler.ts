export { reconcile, type ReconcileResult } from "./reconcile.ts";
export { STALE_AFTER_SECONDS } from "./intents.ts";
