import { addressHash } from "../codes.ts";
import { db } from "../dynamo/service.ts";
import { type Audit, create } from "../events/event.ts";
import type { EventInput } from "../events/event.ts";
import { record } from "../events/store.ts";
import type { Note } from "../user/record.ts";

/**
 * The failure events (`session.login_failed`, `session.locked_out`): a failed attempt changes no
 * record of its own (the lockout's reservation is made before the verdict), so the event is a
 * follow-up write (`Events.record`), and a crash between the two can lose it — never a change.
 *
 * Their subject is the account the address names, or, for an address with no account, the
 * address's hash: events exist for every address tried, known or not, found the same way (one
 * GetItem of the address's guard), so their presence and their cost say nothing about which
 * addresses have accounts. Best effort: the caller's answer (401, 403, 429) never depends on it.
 */
export const recordFailure = async (email: string, note: Note, audit: Audit): Promise<void> => {
  try {
    const { data: guard } = await db().entities.unique.get({ kind: "email", value: email.toLowerCase() }).go();
    const subject = guard ? { userId: guard.userId } : { addressHash: addressHash(email) };
    await record(
      create({ type: note.type, subject, actor: audit.actor, sourceIp: audit.sourceIp, data: note.data } as EventInput<
        typeof note.type
      >),
    );
  } catch {
    // The attempt's answer stands; only its trail is lost (docs/EVENTS.md).
  }
};
