/**
 * The bootstrap machine API key (`x-api-key`). Set it per stage before deploying:
 * `npx sst secret set IamApiKey <value> --stage <stage>`. The code reads `Resource.IamApiKey.value`.
 */
export const iamApiKey = new sst.Secret("IamApiKey");
