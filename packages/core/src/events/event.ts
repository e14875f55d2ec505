import { monotonicFactory } from "ulid";
import { z } from "zod";
import { CATALOGUE, EVENT_TYPES, type EventData, type EventType } from "./catalogue.ts";

/** Who did it: a machine key (by id), the user themself, or the service on its own (reconciler, expiry). */
export const Actor = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("apiKey"), keyId: z.string() }),
    z.strictObject({ type: z.literal("user"), userId: z.string() }),
    z.strictObject({ type: z.literal("system") }),
  ])
  .meta({ id: "EventActor" });
export type Actor = z.infer<typeof Actor>;

/**
 * Who is making a change and from where: what a writer stamps on the events it records. The edge
 * builds it from the request (the calling API key, or the signed-in user; the client's address);
 * core passes it down to the one writer untouched. Without one, the change is the service's own.
 */
export type Audit = { actor: Actor; sourceIp?: string };
export const SYSTEM: Audit = { actor: { type: "system" } };

/**
 * Whose event it is: a user, an API key, or — for a failed login, a lockout or a reset request
 * naming an address that has no account — the address's hash, so that events exist for unknown
 * addresses too and their presence tells nothing about which addresses have accounts.
 */
export type Subject = { userId: string } | { keyId: string } | { addressHash: string };

/**
 * An event, as stored, listed, put on the bus and sent to webhooks. `id` is a ULID: sortable by
 * time, and increasing within one process even within a millisecond. Exactly one of `userId`,
 * `keyId`, `addressHash` is set.
 */
export const Event = z
  .object({
    id: z.string().describe("ULID: sortable by time; the `webhook-id` of its deliveries"),
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    userId: z.string().optional(),
    keyId: z.string().optional(),
    addressHash: z
      .string()
      .optional()
      .describe("SHA-256 (base64url) of the lower-cased e-mail, for an address with no account"),
    at: z.iso.datetime().describe("When the change was made (ISO 8601, UTC)"),
    actor: Actor,
    sourceIp: z.string().optional().describe("The caller's address, when known"),
    data: z.record(z.string(), z.unknown()).describe("Per type: see the event catalogue"),
  })
  .meta({ id: "Event" });
export type Event = z.infer<typeof Event>;

export type EventInput<T extends EventType> = {
  type: T;
  subject: Subject;
  actor: Actor;
  sourceIp?: string;
  data: EventData<T>;
};

const nextId = monotonicFactory();

/** The subject's partition in the table: `user:<id>`, `apikey:<id>` or `address:<hash>`. */
export const subjectKey = (subject: Subject): string =>
  "userId" in subject
    ? `user:${subject.userId}`
    : "keyId" in subject
      ? `apikey:${subject.keyId}`
      : `address:${subject.addressHash}`;

/** The subject of an event, back from its fields. */
export const subjectOf = (event: Event): Subject => {
  if (event.userId !== undefined) return { userId: event.userId };
  if (event.keyId !== undefined) return { keyId: event.keyId };
  if (event.addressHash !== undefined) return { addressHash: event.addressHash };
  throw new Error(`event ${event.id} has no subject`);
};

/**
 * The subject for an address with no account: SHA-256 of the lower-cased e-mail, base64url (the
 * same digest the password reset keeps for an address).
 */
export { addressHash } from "../codes.ts";

/**
 * A new event: a fresh id and time, its `data` checked against the catalogue (a strict schema per
 * type, so nothing the catalogue does not name gets in). A mismatch is a bug in the writer and
 * throws; it never reaches a caller as a 4xx.
 */
export const create = <T extends EventType>(input: EventInput<T>, now = Date.now()): Event => {
  const data = CATALOGUE[input.type].data.parse(input.data) as Record<string, unknown>;
  const subject =
    "userId" in input.subject
      ? { userId: input.subject.userId }
      : "keyId" in input.subject
        ? { keyId: input.subject.keyId }
        : { addressHash: input.subject.addressHash };
  return Event.parse({
    id: nextId(now),
    type: input.type,
    ...subject,
    at: new Date(now).toISOString(),
    actor: input.actor,
    ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
    data,
  });
};
