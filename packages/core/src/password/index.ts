export * as Password from "./password.ts";
