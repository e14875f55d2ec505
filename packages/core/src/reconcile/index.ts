import { Config } from "../config.ts";
import { withDeadline } from "../deadline.ts";
import { db } from "../dynamo/service.ts";
import { STALE_AFTER_SECONDS, olderThan } from "../dynamo/intents.ts";
import { purgeUser } from "../events/purge.ts";
import { settleRole } from "../profile/role.ts";
import { finishDeletion } from "../user/delete.ts";
import { settleRegistration } from "../user/settle.ts";

export { STALE_AFTER_SECONDS };

export type ReconcileResult = {
  /** Registration intents rolled back (their Cognito user, if any, deleted). */
  registrations: number;
  /** Role-change intents whose Cognito groups were made to match the stored role. */
  roles: number;
  /** Pending deletions finished (S3 objects, Cognito user, tombstone). */
  deletions: number;
  /** Deleted users' events purged because the consumer of `user.deleted` never did. */
  purges: number;
  /** Items that failed this time (a dependency down); they stay and the next pass retries them. */
  failed: number;
};

/**
 * One pass of the reconciler: finishes or rolls back every change that spans DynamoDB and Cognito
 * and is older than `olderThanSeconds` — registration and role intents, deletion tombstones, and the
 * purges of deleted users' events their consumer never did.
 * Each is found by age through gsi1 (Query, never Scan) and handled with a request's time budget
 * of its own; an item that fails is counted and left for the next pass. Runs on a schedule
 * (infra/reconciler.ts in production, `npm start` locally); safe to run concurrently with itself.
 *
 * The bound must exceed the longest a live request can still act (its deadline, deadline.ts):
 * anything younger may belong to a request in flight.
 */
export const reconcile = async ({
  olderThanSeconds = STALE_AFTER_SECONDS,
}: {
  olderThanSeconds?: number;
} = {}): Promise<ReconcileResult> => {
  const result: ReconcileResult = { registrations: 0, roles: 0, deletions: 0, purges: 0, failed: 0 };
  const each = async <T>(
    items: T[],
    work: (item: T) => Promise<unknown>,
    counter: "registrations" | "roles" | "deletions" | "purges",
  ) => {
    for (const item of items) {
      try {
        await withDeadline(Config.requestDeadlineMs, () => work(item));
        result[counter]++;
      } catch {
        result.failed++;
      }
    }
  };
  await each(await olderThan("register", olderThanSeconds), settleRegistration, "registrations");
  await each(await olderThan("role", olderThanSeconds), settleRole, "roles");
  const cutoff = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
  const { data: tombstones } = await db()
    .entities.deletion.query.byAge({ kind: "deletion" })
    .lt({ deletedAt: cutoff })
    .go({ pages: "all" });
  await each(tombstones, (t) => finishDeletion(t.userId), "deletions");
  await each(await olderThan("purge", olderThanSeconds), (i) => purgeUser(i.subject), "purges");
  return result;
};
