/**
 * Secrets, set per stage before deploying (`npx sst secret set <Name> <value> --stage <stage>`;
 * docs/DEPLOY.md says how to make strong values). None has a placeholder: a stage where one is
 * missing refuses to deploy instead of running on a known value. The code reads
 * `Resource.<Name>.value`.
 */

/** The bootstrap machine API key (`x-api-key`). */
export const iamApiKey = new sst.Secret("IamApiKey");

/** MAC key of the directory's opaque cursors; its own secret, never derived from an API key. */
export const iamCursorSecret = new sst.Secret("IamCursorSecret");

/** MAC key of API key ids, checked before any table read; separate from the cursor's. */
export const iamKeyIdSecret = new sst.Secret("IamKeyIdSecret");
