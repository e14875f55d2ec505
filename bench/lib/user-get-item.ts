import { db } from "@iam/core/testing";

/** The user's GetItem exactly as ElectroDB issues it, with the key in DynamoDB's wire format. */
export const userGetItem = (id: string) => {
  const params = db().entities.user.get({ id }).params<{ TableName: string; Key: Record<string, string> }>();
  const Key = Object.fromEntries(Object.entries(params.Key).map(([k, v]) => [k, { S: String(v) }]));
  return { ...params, TableName: params.TableName, Key };
};

/**
 * The same GetItem for any id without ElectroDB at request time (the floor's): ElectroDB's key
 * for a placeholder id, taken once, with the id put in as ElectroDB puts it (lower-cased).
 */
export const userGetItemFor = () => {
  const PLACEHOLDER = "\u0000";
  const { TableName, Key } = userGetItem(PLACEHOLDER);
  const fields = Object.entries(Key).map(([k, v]) => [k, v.S.split(PLACEHOLDER)] as const);
  return (id: string) => {
    const lower = id.toLowerCase();
    const key: Record<string, { S: string }> = {};
    for (const [k, parts] of fields) key[k] = { S: parts.join(lower) };
    return { TableName, Key: key };
  };
};
