import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Badge, TableDefinition, User } from "@iam/core";

// s3rver accepts only its documented key pair; the other emulators accept any.
export const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const region = "us-east-1";

/** The table, from the same definition the SST infra deploys. Idempotent. */
export const provisionTable = async (endpoint: string, tableName: string) => {
  const client = new DynamoDBClient({ endpoint, region, credentials });
  const { fields, primaryIndex, globalIndexes, ttl } = TableDefinition;
  const AttributeDefinitions: AttributeDefinition[] = Object.entries(fields).map(([AttributeName]) => ({
    AttributeName,
    AttributeType: "S",
  }));
  const GlobalSecondaryIndexes: GlobalSecondaryIndex[] = Object.entries(globalIndexes).map(([IndexName, idx]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: idx.hashKey, KeyType: "HASH" },
      { AttributeName: idx.rangeKey, KeyType: "RANGE" },
    ],
    Projection: { ProjectionType: "ALL" },
  }));
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A data folder from an older version keeps its users: add the indexes it lacks.
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    for (const Create of GlobalSecondaryIndexes.filter((g) => !existing.has(g.IndexName)))
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create }],
        }),
      );
    return;
  } catch (e) {
    if ((e as Error).name !== "ResourceNotFoundException") throw e;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions,
      KeySchema: [
        { AttributeName: primaryIndex.hashKey, KeyType: "HASH" },
        { AttributeName: primaryIndex.rangeKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes,
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
    }),
  );
};

/** User pool (email as username, the API's password policy), app client, groups. Idempotent. */
export const provisionUserPool = async (endpoint: string, poolName: string) => {
  const client = new CognitoIdentityProviderClient({ endpoint, region, credentials });
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let poolId = pools.UserPools?.find((p) => p.Name === poolName)?.Id;
  if (!poolId) {
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: poolName,
        UsernameAttributes: ["email"],
        Policies: { PasswordPolicy: { ...User.PasswordPolicy, TemporaryPasswordValidityDays: 7 } },
      }),
    );
    poolId = UserPool?.Id;
    if (!poolId) throw new Error("cognito-local created no user pool");
    for (const GroupName of User.Role.options)
      await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
  }
  const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === "api")?.ClientId;
  if (!clientId) {
    const created = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "api",
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity: 1,
        IdTokenValidity: 1,
        RefreshTokenValidity: 30,
        TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "days" },
      }),
    );
    clientId = created.UserPoolClient?.ClientId;
    if (!clientId) throw new Error("cognito-local created no app client");
  }
  return { userPoolId: poolId, clientId, issuer: `${endpoint}/${poolId}` };
};

/**
 * The assets bucket with the badge icons. Idempotent. Unlike infra/storage.ts, no bucket policy
 * and no lifecycle rule: s3rver 3.7 answers NotImplemented to PutBucketPolicy and
 * PutBucketLifecycleConfiguration, and serves every object whatever a policy says. Locally,
 * unconfirmed avatar uploads (`uploads/`) stay until their user is deleted; the privacy of
 * `uploads/` is checked structurally (test/infra.test.ts).
 */
export const provisionBucket = async (endpoint: string, bucket: string) => {
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const dir = fileURLToPath(Badge.badgeIconsDir);
  for (const file of await readdir(dir)) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `badges/${file}`,
        Body: await readFile(`${dir}/${file}`),
        ContentType: "image/svg+xml",
        CacheControl: "public, max-age=86400",
      }),
    );
  }
};
