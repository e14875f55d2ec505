import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * A webhook delivery that kept failing until its retry schedule ran out (events/webhooks.ts). One
 * partition holds them all (`kind`), sorted by `id`, a ULID taken when the delivery was given up:
 * the admin listing is one Query, newest first. A dead letter is rare by design (each is a
 * receiver down for hours), so one partition is plenty. `expiresAt` (TTL) ends it after
 * `DEAD_LETTER_RETENTION_DAYS`.
 */
export const DeadLetterEntity = new Entity({
  model: { entity: "deadletter", version: "1", service: "iam" },
  attributes: {
    kind: { type: "string", required: true, readOnly: true, default: "webhook", hidden: true },
    id: { type: "string", required: true, readOnly: true },
    /** The delivery as it stood when given up, as JSON (events/dead-letters.ts `DeadLetter`). */
    payload: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    all: {
      pk: { field: p.hashKey, composite: ["kind"], casing: "none" },
      sk: { field: p.rangeKey, composite: ["id"], casing: "none" },
    },
  },
});
