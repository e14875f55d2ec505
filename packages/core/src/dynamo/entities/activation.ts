import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * A pending activation code, stored only as its SHA-256 hash. `expiresAt` (epoch seconds) is
 * the table's TTL attribute, so DynamoDB sweeps old codes; reads still check it, because TTL
 * deletion is lazy.
 */
export const ActivationEntity = new Entity({
  model: { entity: "activation", version: "1", service: "iam" },
  attributes: {
    codeHash: { type: "string", required: true, readOnly: true },
    userId: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    byCode: {
      pk: { field: p.hashKey, composite: ["codeHash"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
