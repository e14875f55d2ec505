/**
 * The single table, described once. The SST infra (`infra/storage.ts`) passes this to
 * `sst.aws.Dynamo`, the local stack turns it into `CreateTable`, and the ElectroDB entities name
 * their indexes and key fields from it, so the three cannot drift apart.
 */
export const TableDefinition = {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk" },
  },
  ttl: "expiresAt",
} as const;

export type IndexName = keyof typeof TableDefinition.globalIndexes;
