import type * as Sdk from "./cognito-sdk.ts";
export type { SignedIn } from "./cognito-sdk.ts";

/**
 * The Cognito user pool, loaded on first use: this module is what the domain imports, and each call loads
 * cognito-sdk.ts (the SDK client, its commands) the first time. The Lambda build
 * (infra/build.ts) puts that module in a chunk of its own, so a cold start that does not call
 * Cognito neither parses nor evaluates its code. Behaviour, errors included, is cognito-sdk.ts's.
 */
const sdk = (): Promise<typeof Sdk> => import("./cognito-sdk.ts");

export const createUser: typeof Sdk.createUser = async (...args) => (await sdk()).createUser(...args);
export const addToGroup: typeof Sdk.addToGroup = async (...args) => (await sdk()).addToGroup(...args);
export const deleteUser: typeof Sdk.deleteUser = async (...args) => (await sdk()).deleteUser(...args);
export const findUser: typeof Sdk.findUser = async (...args) => (await sdk()).findUser(...args);
export const passwordAuth: typeof Sdk.passwordAuth = async (...args) => (await sdk()).passwordAuth(...args);
export const markEmailVerified: typeof Sdk.markEmailVerified = async (...args) =>
  (await sdk()).markEmailVerified(...args);
export const groupsOf: typeof Sdk.groupsOf = async (...args) => (await sdk()).groupsOf(...args);
export const removeFromGroup: typeof Sdk.removeFromGroup = async (...args) => (await sdk()).removeFromGroup(...args);
export const setPassword: typeof Sdk.setPassword = async (...args) => (await sdk()).setPassword(...args);
export const refreshAuth: typeof Sdk.refreshAuth = async (...args) => (await sdk()).refreshAuth(...args);
export const globalSignOut: typeof Sdk.globalSignOut = async (...args) => (await sdk()).globalSignOut(...args);
