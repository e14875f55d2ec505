import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import getPort from "get-port";
import { weakBootstrapKey } from "@iam/core";
import { StartError, startCognito, startDynamo, startS3 } from "./emulators.ts";
import { LOCK_FILE, lockDataDir } from "./lock.ts";
import { waitUntil } from "./process.ts";
import { credentials, provisionBucket, provisionTable, provisionUserPool } from "./provision.ts";

export type StackOptions = {
  /** Where emulator data and logs live. */
  dataDir: string;
  /** Start empty: delete what `dataDir` holds first (once the folder's lock is ours). */
  fresh?: boolean;
  /** Keep DynamoDB in memory (tests). */
  inMemory?: boolean;
  /** The machine API key; generated and remembered in `dataDir` when absent. */
  apiKey?: string;
  progress?: (step: string, ms: number) => void;
};

export type Stack = {
  /** The configuration the app reads: exactly the variables production sets (SST links + SDK endpoints). */
  env: Record<string, string>;
  apiKey: string;
  stop: () => Promise<void>;
};

const TABLE = "iam-local";
const BUCKET = "iam-assets";
const POOL = "iam-local";

const timed = async <T>(step: string, progress: StackOptions["progress"], run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await run();
  progress?.(step, performance.now() - started);
  return result;
};

/** A strong random secret, generated once and kept in `dataDir/<name>` (as production keeps SST secrets). */
export const rememberedSecret = async (
  dataDir: string,
  name: string,
  make = () => randomBytes(32).toString("base64url"),
) => {
  const file = join(dataDir, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = make();
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
};

/** The given key, else the one kept in the data folder, else a new strong one; a weak key is refused. */
const rememberedApiKey = async (dataDir: string, given?: string) => {
  const key =
    given ?? (await rememberedSecret(dataDir, "api-key", () => `iam_${randomBytes(32).toString("base64url")}`));
  const weak = weakBootstrapKey(key);
  if (weak) throw new StartError(weak);
  return key;
};

/**
 * Starts DynamoDB Local, cognito-local and s3rver on free ports, provisions table, pool and
 * bucket, and returns the environment that points the app at them. `stop()` ends every child.
 * Refuses (StartError) a folder another running stack holds, before touching its data.
 */
export const startStack = async (options: StackOptions): Promise<Stack> => {
  const { dataDir, progress } = options;
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.allSettled(stoppers.reverse().map((s) => s()));
    await lock.release(); // last: the folder is free once nothing writes to it
  };
  try {
    if (options.fresh)
      for (const entry of await readdir(dataDir))
        if (entry !== LOCK_FILE) await rm(join(dataDir, entry), { recursive: true, force: true });
    // Before any emulator starts: a weak key stops `npm start` with nothing to clean up.
    const apiKey = await rememberedApiKey(dataDir, options.apiKey);
    const [cursorSecret, keyIdSecret] = [
      await rememberedSecret(dataDir, "cursor-secret"),
      await rememberedSecret(dataDir, "key-id-secret"),
    ];
    const [dynamoPort, cognitoPort, s3Port] = await Promise.all([getPort(), getPort(), getPort()]);
    const dynamoUrl = `http://127.0.0.1:${dynamoPort}`;
    const cognitoUrl = `http://127.0.0.1:${cognitoPort}`;
    const s3Url = `http://127.0.0.1:${s3Port}`;

    const dynamo = await startDynamo({
      port: dynamoPort,
      dataDir: options.inMemory ? undefined : join(dataDir, "dynamodb"),
      logFile: join(dataDir, "dynamodb.log"),
    });
    stoppers.push(dynamo.stop);
    const [auth] = await Promise.all([
      timed("cognito-local", progress, async () => {
        const cognito = await startCognito({
          port: cognitoPort,
          dataDir: join(dataDir, "cognito"),
          logFile: join(dataDir, "cognito.log"),
        });
        stoppers.push(cognito.stop);
        return provisionUserPool(cognitoUrl, POOL);
      }),
      timed("s3rver", progress, async () => {
        const s3 = await startS3({ port: s3Port, dataDir: join(dataDir, "s3") });
        stoppers.push(s3.stop);
        await provisionBucket(s3Url, BUCKET);
      }),
      timed("DynamoDB Local", progress, () =>
        waitUntil("DynamoDB Local", () => provisionTable(dynamoUrl, TABLE), dynamo),
      ),
    ]);
    const env = {
      // As the Lambda is configured (infra/api.ts).
      NODE_ENV: "production",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl,
      AWS_ENDPOINT_URL_S3: s3Url,
      SST_RESOURCE_App: JSON.stringify({ name: "iam", stage: "local" }),
      SST_RESOURCE_Table: JSON.stringify({ name: TABLE, type: "sst.aws.Dynamo" }),
      SST_RESOURCE_Assets: JSON.stringify({ name: BUCKET, type: "sst.aws.Bucket" }),
      SST_RESOURCE_AssetsUrl: JSON.stringify({ url: `${s3Url}/${BUCKET}`, type: "sst.sst.Linkable" }),
      SST_RESOURCE_Auth: JSON.stringify({ ...auth, type: "sst.sst.Linkable" }),
      SST_RESOURCE_IamApiKey: JSON.stringify({ value: apiKey, type: "sst.sst.Secret" }),
      SST_RESOURCE_IamCursorSecret: JSON.stringify({ value: cursorSecret, type: "sst.sst.Secret" }),
      SST_RESOURCE_IamKeyIdSecret: JSON.stringify({ value: keyIdSecret, type: "sst.sst.Secret" }),
    };
    return { env, apiKey, stop };
  } catch (e) {
    await stop();
    throw e;
  }
};
