export * as Avatar from "./avatar.ts";
