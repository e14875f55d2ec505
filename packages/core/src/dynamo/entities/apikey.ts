import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

/**
 * What a machine key may do: `read`, `write`, `auth` (login, refresh, verify), `recovery`
 * (password forgot and reset: whoever holds it can take over any account, so a BFF that only
 * signs users in does not need it) and `admin`.
 */
export const SCOPES = ["read", "write", "auth", "recovery", "admin"] as const;

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/**
 * A machine API key. Only the SHA-256 of the secret is stored; the key id (visible in the key
 * itself) finds the item, the hash is compared in constant time. `expiresAt` (epoch seconds) is
 * also the table's TTL attribute, so expired keys disappear on their own.
 */
export const ApiKeyEntity = new Entity({
  model: { entity: "apikey", version: "1", service: "iam" },
  attributes: {
    keyId: { type: "string", required: true, readOnly: true },
    name: { type: "string", required: true },
    secretHash: { type: "string", required: true, readOnly: true },
    scopes: { type: "set", items: SCOPES, required: true },
    expiresAt: { type: "number" },
    revokedAt: { type: "string" },
    lastUsedAt: { type: "number" },
    rotatedTo: { type: "string" },
    createdAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
    /** Constant partition for the admin listing (a handful of keys, never a hot path). */
    kind: { type: "string", required: true, readOnly: true, default: "apikey", hidden: true },
  },
  indexes: {
    byId: {
      pk: { field: p.hashKey, composite: ["keyId"] },
      sk: { field: p.rangeKey, composite: [] },
    },
    all: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["kind"] },
      sk: { field: g.gsi1.rangeKey, composite: ["createdAt", "keyId"] },
    },
  },
});
