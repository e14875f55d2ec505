import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

const { primaryIndex: p } = TableDefinition;

/**
 * One lockout counter: login attempts of one account from one client address, or of one account
 * from everywhere (`counter` is a hash of either, known e-mail or not). `failures` counts the
 * failures of the current window plus the attempts in flight, each reserved before its password
 * is checked (auth/lockout.ts). The window opens at the first attempt; `expiresAt` (TTL) removes
 * the counter after it. `lockedWindow` is the `windowStart` of the window whose lockout has been
 * recorded (`session.locked_out`), so that a window's lockout is recorded once, not per refusal.
 */
export const LoginFailureEntity = new Entity({
  model: { entity: "loginfailure", version: "2", service: "iam" },
  attributes: {
    counter: { type: "string", required: true, readOnly: true },
    failures: { type: "number", required: true, default: 0 },
    windowStart: { type: "number", required: true },
    expiresAt: { type: "number", required: true },
    lockedWindow: { type: "number" },
  },
  indexes: {
    byCounter: {
      pk: { field: p.hashKey, composite: ["counter"] },
      sk: { field: p.rangeKey, composite: [] },
    },
  },
});
