/**
 * Clients for TypeScript callers of the User IAM service. Server code is imported for its types
 * only (`import type`), so nothing of the service is loaded at run time.
 */
export type { IamClientOptions } from "./auth.ts";
export { createIamClient, iamErrorOf, type IamClient, type IamError } from "./trpc.ts";
export { createIamRestClient, type IamRestClient } from "./rest.ts";
export type * from "./types.ts";
export type { paths as RestPaths, components as RestComponents } from "./rest-types.ts";
