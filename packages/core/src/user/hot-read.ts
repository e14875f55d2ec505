import { GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { EntityItem } from "electrodb";
import { dynamo } from "../adapters/aws.ts";
import { Config } from "../config.ts";
import { UserEntity } from "../dynamo/entities/user.ts";
import { TableDefinition } from "../dynamo/table.ts";

type UserItem = EntityItem<typeof UserEntity>;

/**
 * The user's GetItem without ElectroDB: reads by id are the hottest path (every `GET /user/{id}`,
 * every `/me`), and ElectroDB's get (its query chain, response formatting and the Error it builds
 * per call for a stack trace) plus the DocumentClient cost more CPU than the GetItem itself.
 * The key and the item's shape are ElectroDB's, written out: test/user-hot-read.test.ts proves
 * that for the same ids this reads the same key and answers the same item as ElectroDB's get, so
 * the two cannot drift. Writes stay with ElectroDB (record.ts).
 */

/** ElectroDB's key for the `byId` index: `$<service>#<composite>_<value, lower-cased>`, `$<entity>_<version>`. */
const { service, entity, version } = UserEntity.schema.model;
const { hashKey, rangeKey } = TableDefinition.primaryIndex;
const SK = `$${entity}_${version}`;
export const userKey = (id: string): Record<string, AttributeValue> => ({
  [hashKey]: { S: `$${service}#id_${id.toLowerCase()}` },
  [rangeKey]: { S: SK },
});

/** The model's attributes: what ElectroDB's get hands back (its keys and `__edb_*` markers stay behind). */
const ATTRIBUTES = Object.keys(UserEntity.schema.attributes);

/** One GetItem; null when there is no user item (or the item at that key is not a `user` of this version). */
export const readUser = async (id: string, consistent: boolean): Promise<UserItem | null> => {
  const { Item } = await dynamo().send(
    new GetItemCommand({ TableName: Config.tableName, Key: userKey(id), ConsistentRead: consistent }),
  );
  if (!Item || Item.__edb_e__?.S !== entity || Item.__edb_v__?.S !== version) return null;
  const raw = unmarshall(Item);
  const item: Record<string, unknown> = {};
  for (const name of ATTRIBUTES) {
    const value = raw[name];
    if (value === undefined) continue;
    // A string set: ElectroDB answers with an array.
    item[name] = value instanceof Set ? [...value] : value;
  }
  return item as UserItem;
};
