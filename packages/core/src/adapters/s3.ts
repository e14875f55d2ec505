import type * as Sdk from "./s3-sdk.ts";
export type { StoredObject } from "./s3-sdk.ts";

/**
 * The assets bucket, loaded on first use: this module is what the domain imports, and each call loads
 * s3-sdk.ts (the SDK client, its commands, the presigned-POST signer) the first time. The Lambda build
 * (infra/build.ts) puts that module in a chunk of its own, so a cold start that does not call
 * S3 neither parses nor evaluates its code. Behaviour, errors included, is s3-sdk.ts's.
 */
const sdk = (): Promise<typeof Sdk> => import("./s3-sdk.ts");

export const readObject: typeof Sdk.readObject = async (...args) => (await sdk()).readObject(...args);
export const putObject: typeof Sdk.putObject = async (...args) => (await sdk()).putObject(...args);
export const deleteObject: typeof Sdk.deleteObject = async (...args) => (await sdk()).deleteObject(...args);
export const listNothingUnder: typeof Sdk.listNothingUnder = async (...args) => (await sdk()).listNothingUnder(...args);
export const deleteUnder: typeof Sdk.deleteUnder = async (...args) => (await sdk()).deleteUnder(...args);
export const presignedUpload: typeof Sdk.presignedUpload = async (...args) => (await sdk()).presignedUpload(...args);
