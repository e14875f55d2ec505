import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A per-request deadline, carried through every `await` of the request by AsyncLocalStorage and
 * read by the SDK clients (aws.ts) before each attempt: no dependency call outlives the request's
 * budget (`Config.requestDeadlineMs`), whatever the retries. The HTTP app sets it per request; the
 * reconciler per item.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Extra budget for undoing a half-done step after the main budget failed (compensation, deciding an ambiguous write). */
export const CLEANUP_DEADLINE_MS = 750;

/** Runs `work` with a deadline `ms` from now (replacing any outer one: a cleanup gets its own small budget). */
export const withDeadline = <T>(ms: number, work: () => Promise<T>): Promise<T> => deadlines.run(Date.now() + ms, work);

/** Milliseconds left before the current deadline; undefined outside any deadline (scripts, tests calling core directly). */
export const remainingMs = (): number | undefined => {
  const at = deadlines.getStore();
  return at === undefined ? undefined : at - Date.now();
};

/**
 * Thrown instead of starting a dependency call once the deadline has passed. Its name is not one
 * the SDK retries, and the edge maps it to 503 with `Retry-After`.
 */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
  constructor() {
    super("The request's time budget for dependency calls is spent");
  }
}
