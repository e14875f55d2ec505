import { DynamoDBClient, GetItemCommand, type GetItemCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The cold-start baseline for a real read: one bare GetItem (the key comes from BENCH_GET_ITEM),
 * with the same SDK client the service bundles, and nothing else.
 */
const client = new DynamoDBClient({});
export const handler = async () => {
  const input = JSON.parse(process.env.BENCH_GET_ITEM ?? "{}") as GetItemCommandInput;
  const { Item } = await client.send(new GetItemCommand(input));
  return {
    statusCode: Item ? 200 : 404,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(Item ?? {}),
  };
};
