import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/**
 * A pending password-reset code, stored only as its SHA-256 hash, like an activation code.
 * `expiresAt` (epoch seconds) is the table's TTL attribute; reads still check it, because TTL
 * deletion is lazy. The `byUser` index finds a user's other codes, so a new request or a
 * completed reset can remove them.
 */
export const PasswordResetEntity = new Entity({
  model: { entity: "passwordreset", version: "1", service: "iam" },
  attributes: {
    codeHash: { type: "string", required: true, readOnly: true },
    userId: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
    createdAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
  },
  indexes: {
    byCode: {
      pk: { field: p.hashKey, composite: ["codeHash"] },
      sk: { field: p.rangeKey, composite: [] },
    },
    byUser: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["userId"] },
      sk: { field: g.gsi1.rangeKey, composite: ["createdAt"] },
    },
  },
});
