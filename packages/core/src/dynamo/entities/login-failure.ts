import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * Failed logins of one account (by a hash of the e-mail, known or not) in the current window.
 * The window opens at the first failure; `expiresAt` (TTL) removes the counter after it.
 */
export const LoginFailureEntity = new Entity({
  model: { entity: "loginfailure", version: "1", service: "iam" },
  attributes: {
    account: { type: "string", required: true, readOnly: true },
    failures: { type: "number", required: true, default: 0 },
    windowStart: { type: "number", required: true },
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byAccount: {
      pk: { field: p.hashKey, composite: ["account"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
