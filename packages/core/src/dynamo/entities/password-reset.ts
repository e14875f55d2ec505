import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * A password-reset code, stored only as its SHA-256 hash, like an activation code. `forgot` writes
 * one for every address asked about, known or not: `userId` names the account, and is absent for
 * an address without one (that code resets nothing). A code works only while it is the one its
 * address's pointer (`ResetPointerEntity`) names. `expiresAt` (epoch seconds) is the table's TTL
 * attribute; reads still check it, because TTL deletion is lazy.
 */
export const PasswordResetEntity = new Entity({
  model: { entity: "passwordreset", version: "2", service: "iam" },
  attributes: {
    codeHash: { type: "string", required: true, readOnly: true },
    emailHash: { type: "string", required: true, readOnly: true },
    userId: { type: "string", readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    byCode: {
      pk: { field: p.hashKey, composite: ["codeHash"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});

/**
 * The one pending reset of an address (by a hash of it: the table keeps no list of addresses
 * asked about): the hash of its current code, overwritten by each `forgot`. Codes it no longer
 * names are refused, so no request has to find and delete a user's older codes.
 */
export const ResetPointerEntity = new Entity({
  model: { entity: "resetpointer", version: "1", service: "iam" },
  attributes: {
    emailHash: { type: "string", required: true, readOnly: true },
    codeHash: { type: "string", required: true },
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byEmail: {
      pk: { field: p.hashKey, composite: ["emailHash"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
