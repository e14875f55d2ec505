import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/**
 * One audit/lifecycle event (events/event.ts), written in the same transaction as the change it
 * records. `subject` is whose event it is (`user:<id>`, `apikey:<keyId>`, `address:<hash>`); `id`
 * is a ULID, so the primary index holds a subject's events in time order and a Query read
 * backwards is "newest first". Listing one type is a Query on gsi1 keyed by subject and type: a
 * page of that listing is exactly `limit` events of that type, which a filter expression on the
 * primary index could not promise (DynamoDB applies filters after the page is read, so a page could
 * come back empty with more to follow). The price is one more index write per event (two for a
 * security event, which gsi2 also holds: the user's security log, `bySecurity`).
 *
 * The event itself is stored as its JSON (`payload`): the stream consumers read it back unchanged,
 * and DynamoDB's rules for native maps (empty keys, number precision) never touch it.
 * `expiresAt` (epoch seconds) is the table's TTL: events go after the retention period.
 * Keys keep their case (`casing: "none"`): key ids and address hashes are case-sensitive.
 */
/**
 * The types of a user's own security log (`/public/user/me/events`): logins, lockouts, sessions,
 * passwords. Defined here, beside the index that holds them, and named by the catalogue.
 */
export const isSecurityEventType = (type: string): boolean => /^(session|password)\./.test(type);

export const EventEntity = new Entity({
  model: { entity: "event", version: "1", service: "iam" },
  attributes: {
    subject: { type: "string", required: true, readOnly: true },
    id: { type: "string", required: true, readOnly: true },
    type: { type: "string", required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
    payload: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    bySubject: {
      pk: { field: p.hashKey, composite: ["subject"], casing: "none" },
      sk: { field: p.rangeKey, composite: ["id"], casing: "none" },
    },
    bySubjectType: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["subject", "type"], casing: "none" },
      sk: { field: g.gsi1.rangeKey, composite: ["id"], casing: "none" },
    },
    // The security log, one Query for any page: only security events get gsi2 keys (a sparse index).
    // A filter on the primary index instead read through every other event of the user first
    // (hundreds of Queries for a user with thousands of events).
    bySecurity: {
      index: "gsi2",
      condition: (attr) => typeof attr.type === "string" && isSecurityEventType(attr.type),
      pk: { field: g.gsi2.hashKey, composite: ["subject"], casing: "none" },
      sk: { field: g.gsi2.rangeKey, composite: ["id"], casing: "none" },
    },
  },
});
