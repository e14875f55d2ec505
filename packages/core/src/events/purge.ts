import { db } from "../dynamo/service.ts";
import { subjectKey } from "./event.ts";

/** Events read per page, and so deleted per round: BatchWriteItem takes 25 a request (ElectroDB splits them). */
const PAGE = 100;

/**
 * Removes a deleted user's events, all but the `user.deleted` record (which carries nothing
 * personal and outlives the others until its TTL). Runs AFTER the deletion has answered, from the
 * consumer of `user.deleted`: on AWS the `EventPurger` function on the bus (infra/events.ts),
 * under `npm start` the local stream reader (packages/local/src/events/delivery.ts).
 *
 * In batches: one Query page of the user's partition (keys and type only), then one batch delete
 * of that page's events, until the partition holds nothing else — a user can have more events than
 * one transaction (100 items) holds. Idempotent: a second run, or one overlapping this one, finds
 * less or nothing to delete. Events are only ever read and deleted by key: never a Scan. Last, it
 * removes the purge intent the deletion left (user/delete.ts), which the reconciler would otherwise
 * act on once it is old.
 * Answers how many events it removed.
 */
export const purgeUser = async (userId: string): Promise<number> => {
  const subject = subjectKey({ userId });
  const events = db().entities.event;
  let removed = 0;
  let cursor: string | null = null;
  do {
    const page: { data: { subject: string; id: string; type: string }[]; cursor: string | null } = await events.query
      .bySubject({ subject })
      .go({ cursor, limit: PAGE, attributes: ["subject", "id", "type"] });
    const doomed = page.data.filter((e) => e.type !== "user.deleted").map(({ subject, id }) => ({ subject, id }));
    if (doomed.length > 0) {
      const { unprocessed } = await events.delete(doomed).go();
      // What DynamoDB did not process (throttling) is left for the next run; say so by failing.
      if (unprocessed.length > 0) throw new Error(`${unprocessed.length} events of ${userId} were not deleted`);
      removed += doomed.length;
    }
    cursor = page.cursor;
  } while (cursor);
  // The purge the deletion recorded is done (a batch delete, as above: the purger may do nothing else).
  await db()
    .entities.intent.delete([{ kind: "purge", subject: userId }])
    .go();
  return removed;
};
