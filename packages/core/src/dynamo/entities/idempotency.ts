import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * One use of an `Idempotency-Key` (idempotency/index.ts). `recordId` is a hash of the caller's
 * API key id, the procedure and the Idempotency-Key, so the key itself — from which the response's
 * encryption key is derived — is never stored. `running` with a lease while the first request
 * works; `done` with the sealed response after. `expiresAt` (TTL) ends it after 24 hours.
 */
export const IdempotencyEntity = new Entity({
  model: { entity: "idempotency", version: "1", service: "iam" },
  attributes: {
    recordId: { type: "string", required: true, readOnly: true },
    /** SHA-256 of the request's input: the same key with another body is refused. */
    inputHash: { type: "string", required: true, readOnly: true },
    state: { type: ["running", "done"] as const, required: true },
    /** The attempt that holds the lease; only it may complete or release the record. */
    token: { type: "string", required: true },
    /** Epoch milliseconds: a running record whose lease has passed may be taken over (its request died). */
    leaseUntil: { type: "number", required: true },
    /** The response, AES-256-GCM under a key derived from the Idempotency-Key (idempotency/seal.ts). */
    response: { type: "string" },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: p.hashKey, composite: ["recordId"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
