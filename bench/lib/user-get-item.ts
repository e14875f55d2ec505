import { db } from "@iam/core/testing";

/** The user's GetItem exactly as ElectroDB issues it, with the key in DynamoDB's wire format. */
export const userGetItem = (id: string) => {
  const params = db().entities.user.get({ id }).params<{ TableName: string; Key: Record<string, string> }>();
  const Key = Object.fromEntries(Object.entries(params.Key).map(([k, v]) => [k, { S: String(v) }]));
  return { ...params, TableName: params.TableName, Key };
};
