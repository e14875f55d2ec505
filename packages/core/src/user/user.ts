export * from "./schema.ts";
export { register } from "./register.ts";
export { findById, getById, getByUnique } from "./store.ts";
export { toInfo, type UserItem } from "./mapper.ts";
export { handleFromName, handleKey } from "./handle.ts";
export { activate } from "./activate.ts";
export { replaceData, mergeData, DATA_LIMIT_BYTES, type Blob } from "./data.ts";
export { setStatus } from "./status.ts";
export { remove } from "./delete.ts";
