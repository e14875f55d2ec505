import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

/**
 * What an intent is for: a registration (keyed by e-mail), a role change (keyed by user id), or the
 * purge of a deleted user's events (keyed by user id; done by the consumer of `user.deleted`, or by
 * the reconciler if that never happens).
 */
export const INTENT_KINDS = ["register", "role", "purge"] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];
export const INTENT_STATES = ["pending", "aborting"] as const;

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/**
 * A change that spans DynamoDB and Cognito, recorded before Cognito is touched (dynamo/intents.ts).
 * `token` names the attempt that owns it; `aborting` means the attempt gave up and its commit can
 * no longer happen (the commit is conditioned on `pending` and the token). The reconciler finds
 * old intents by age through gsi1 (one partition per kind, sorted by `createdAt`), never by a Scan;
 * `expiresAt` is only a backstop TTL.
 */
export const IntentEntity = new Entity({
  model: { entity: "intent", version: "1", service: "iam" },
  attributes: {
    kind: { type: INTENT_KINDS, required: true, readOnly: true },
    subject: { type: "string", required: true, readOnly: true },
    token: { type: "string", required: true, readOnly: true },
    state: { type: INTENT_STATES, required: true, default: "pending" },
    createdAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    bySubject: {
      pk: { field: p.hashKey, composite: ["kind", "subject"] },
      sk: { field: p.rangeKey, composite: [] },
    },
    byAge: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["kind"] },
      sk: { field: g.gsi1.rangeKey, composite: ["createdAt", "subject"] },
    },
  },
});
