import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/**
 * A deletion in progress. Written in the same transaction that removes the profile and its guards,
 * removed once Cognito and S3 are clean: if a step in between fails, the tombstone says what is left
 * to do; a retried DELETE or the reconciler (reconcile/index.ts, which finds tombstones by age
 * through gsi1) finishes it, and registration may reclaim the Cognito user it names.
 */
export const DeletionEntity = new Entity({
  model: { entity: "deletion", version: "1", service: "iam" },
  attributes: {
    userId: { type: "string", required: true, readOnly: true },
    email: { type: "string", required: true, readOnly: true },
    deletedAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
    expiresAt: { type: "number", required: true, readOnly: true },
    /** Constant partition of the by-age index. */
    kind: { type: "string", required: true, readOnly: true, default: "deletion", hidden: true },
  },
  indexes: {
    byUser: {
      pk: { field: p.hashKey, composite: ["userId"] },
      sk: { field: p.rangeKey, composite: [] },
    },
    byAge: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["kind"] },
      sk: { field: g.gsi1.rangeKey, composite: ["deletedAt", "userId"] },
    },
  },
});
