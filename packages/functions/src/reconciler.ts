import { Reconciler } from "@iam/core";
import { log } from "./log.ts";

/**
 * The scheduled reconciler (infra/reconciler.ts, every minute): one pass that rolls back
 * registrations a crash interrupted, repairs interrupted role changes and finishes pending
 * deletions older than the bound (core/reconcile). What fails stays for the next pass.
 */
export const handler = async (): Promise<Reconciler.ReconcileResult> => {
  const result = await Reconciler.reconcile();
  log.info({ reconciler: result }, "reconciler pass");
  return result;
};
