export * from "./schema.ts";
export { register } from "./register.ts";
export { activate } from "./activate.ts";
export { findById, getById, getByUnique } from "./store.ts";
export { toInfo, type UserItem } from "./mapper.ts";
export { handleFromName, handleKey } from "./handle.ts";
