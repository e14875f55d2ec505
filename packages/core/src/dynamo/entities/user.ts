import { Entity } from "electrodb";
import { TableDefinition } from "../table.ts";

export const ROLES = ["USER", "MODERATOR", "ADMIN"] as const;
export const STATUSES = ["UNCONFIRMED", "CONFIRMED", "SUSPENDED"] as const;

const { primaryIndex: p, globalIndexes: g } = TableDefinition;

/** The user profile, keyed by the Cognito `sub`. */
export const UserEntity = new Entity({
  model: { entity: "user", version: "1", service: "iam" },
  attributes: {
    id: { type: "string", required: true, readOnly: true },
    name: { type: "string", required: true },
    handle: { type: "string", required: true },
    email: { type: "string", required: true },
    role: { type: ROLES, required: true, default: "USER" },
    status: { type: STATUSES, required: true, default: "UNCONFIRMED" },
    sourceSystem: { type: "string" },
    sourceIp: { type: "string" },
    lang: { type: "string", required: true, default: "en-US" },
    currency: { type: "string", required: true, default: "USD" },
    /** Object key of the current avatar in the assets bucket (`avatars/<id>/…`), "" for none; the URL is built when reading. */
    avatarKey: { type: "string", required: true, default: "" },
    /** Written by versions before `avatarKey`: the avatar's full URL. Read as a fallback, removed by the next confirm. */
    avatarUrl: { type: "string" },
    badges: { type: "set", items: "string" },
    /**
     * The caller's `data` blob, stored as its JSON text: any JSON object round-trips exactly, free of
     * DynamoDB's rules for native maps (empty keys, number range and precision, nesting depth).
     */
    dataJson: { type: "string", required: true, default: "{}" },
    /** Bumped by every read-modify-write of `data`; the condition that makes merges safe. */
    version: { type: "number", required: true, default: 0 },
    lastLoginAt: { type: "string" },
    /** Epoch seconds: tokens issued before this are refused (suspension, logout, password change). */
    tokensValidAfter: { type: "number" },
    /** Hash of the pending activation code, so that a hard delete can remove the code's item too. */
    activationHash: { type: "string" },
    createdAt: {
      type: "string",
      required: true,
      readOnly: true,
      default: () => new Date().toISOString(),
    },
    updatedAt: {
      type: "string",
      readOnly: true,
      watch: "*",
      set: () => new Date().toISOString(),
    },
  },
  indexes: {
    byId: {
      pk: { field: p.hashKey, composite: ["id"] },
      sk: { field: p.rangeKey, composite: [] },
    },
    byStatus: {
      index: "gsi1",
      pk: { field: g.gsi1.hashKey, composite: ["status"] },
      sk: { field: g.gsi1.rangeKey, composite: ["createdAt", "id"] },
    },
    /** The directory by role. Only `role` keys it, so a status update never has to touch it. */
    byRole: {
      index: "gsi2",
      pk: { field: g.gsi2.hashKey, composite: ["role"] },
      sk: { field: g.gsi2.rangeKey, composite: ["createdAt", "id"] },
    },
  },
});
