export * as Profile from "./profile.ts";
