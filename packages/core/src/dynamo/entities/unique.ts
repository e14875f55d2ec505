import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

export const UNIQUE_KINDS = ["email", "name", "handle"] as const;
export type UniqueKind = (typeof UNIQUE_KINDS)[number];

const { primaryIndex: p } = TableDefinition;

/**
 * A guard item: one per unique value (lower-cased), written with `attribute_not_exists` in the
 * same transaction as the user it belongs to, so two racing registrations cannot both win.
 * It also serves the lookups by name, email and handle (guard → user id → user).
 */
export const UniqueEntity = new Entity({
  model: { entity: "unique", version: "1", service: "iam" },
  attributes: {
    kind: { type: UNIQUE_KINDS, required: true, readOnly: true },
    value: { type: "string", required: true, readOnly: true },
    userId: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byValue: {
      pk: { field: p.hashKey, composite: ["kind", "value"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
