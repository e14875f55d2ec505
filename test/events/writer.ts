import { randomUUID } from "node:crypto";
import { Events } from "@iam/core";
import { db } from "@iam/core/testing";

/**
 * Events written as a writer will write them (the writer side comes later): the event's put is
 * one element of the change's transaction, beside a dummy change (a lockout counter).
 * `failChange` makes the change's condition fail, so the whole transaction is cancelled.
 */
export const commitWithChange = async (event: Events.Event, options: { failChange?: boolean } = {}) => {
  const counter = `events-test-${randomUUID()}`;
  if (options.failChange)
    await db().entities.loginFailure.put({ counter, failures: 1, windowStart: 0, expiresAt: 4_000_000_000 }).go();
  const result = await db()
    .transaction.write(({ loginFailure }) => [
      // `create` fails when the item exists: the injected failure of the change.
      loginFailure.create({ counter, failures: 0, windowStart: 0, expiresAt: 4_000_000_000 }).commit(),
      Events.put(event),
    ])
    .go();
  return { counter, canceled: result.canceled };
};

export const actor = { type: "apiKey", keyId: "bootstrap" } as const;

/** An event of `type` for a user, with the catalogue's example as its data. */
export const eventOf = (userId: string, type: Events.EventType): Events.Event =>
  Events.create({ type, subject: { userId }, actor, data: Events.CATALOGUE[type].example } as Events.EventInput<
    typeof type
  >);

/** Creates and commits events one after the other (each in its own transaction); returns them. */
export const commitEvents = async (userId: string, types: Events.EventType[]) => {
  const events: { event: Events.Event; committedAt: number }[] = [];
  for (const type of types) {
    const event = eventOf(userId, type);
    await commitWithChange(event);
    events.push({ event, committedAt: Date.now() });
  }
  return events;
};

/** Every event of a subject (all pages), oldest first. */
export const allEventsOf = async (subject: Events.Subject): Promise<Events.Event[]> => {
  const events: Events.Event[] = [];
  let cursor: string | undefined;
  do {
    const page = await Events.list(subject, { limit: 100, cursor });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events.reverse();
};
