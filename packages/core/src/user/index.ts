export * as User from "./user.ts";
