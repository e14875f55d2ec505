import { readdir, readFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import getPort from "get-port";
import { afterAll, describe, expect, it } from "vitest";
import { startCognito } from "@iam/local/emulators";
import { credentials, provisionUserPool } from "@iam/local/provision";

/**
 * cognito-local keeps its users in JSON files. Under concurrent writes, and when the process is
 * killed mid-write, every user whose creation was acknowledged must be there after a restart on
 * the same folder, and every file must parse.
 */
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const start = async (dataDir: string, port: number) => {
  const child = await startCognito({ port, dataDir, logFile: join(dataDir, "cognito.log") });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  const { userPoolId } = await provisionUserPool(endpoint, "durability");
  return { child, client, userPoolId };
};

/**
 * Long standard attributes (Cognito allows 2,048 characters each) make every user ~16 KB, so each
 * rewrite of the pool's file takes long enough for writes to overlap, as under real load.
 */
const bulk = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "website", "address"].map(
  (Name) => ({
    Name,
    Value: Name.padEnd(2048, "x"),
  }),
);
const create = (client: CognitoIdentityProviderClient, UserPoolId: string, email: string) =>
  client.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: email,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: email }, ...bulk],
    }),
  );

/** What the service's registration sends to Cognito, for one address. */
const register = async (client: CognitoIdentityProviderClient, UserPoolId: string, email: string) => {
  await create(client, UserPoolId, email);
  await client.send(
    new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: "Correct-Horse1", Permanent: true }),
  );
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: "USER" }));
};
const exists = async (client: CognitoIdentityProviderClient, UserPoolId: string, email: string) => {
  try {
    await client.send(new AdminGetUserCommand({ UserPoolId, Username: email }));
    return true;
  } catch (e) {
    if ((e as Error).name === "UserNotFoundException") return false;
    throw e;
  }
};

/** Every JSON file cognito-local keeps, parsed (throws on a torn or corrupted file). */
const parseAll = async (dataDir: string) => {
  const dbDir = join(dataDir, ".cognito", "db");
  const files = (await readdir(dbDir)).filter((f) => f.endsWith(".json"));
  expect(files.length).toBeGreaterThanOrEqual(2); // clients.json and the pool
  for (const f of files) JSON.parse(await readFile(join(dbDir, f), "utf8"));
};

describe("cognito-local's data survives concurrent writes and restarts", () => {
  it("keeps every acknowledged change when the emulator is killed (kill -9) in the middle of concurrent writes", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "iam-cognito-"));
    dirs.push(dataDir);
    const port = await getPort();
    const first = await start(dataDir, port);
    // Enough users that each rewrite of the file takes a while, so the kill lands inside one.
    const base = Array.from({ length: 150 }, (_, i) => `base.${i}@example.com`);
    await Promise.all(base.map((e) => register(first.client, first.userPoolId, e)));
    // A burst of single writes, creations and deletions (deletions shrink the file, which is what
    // tears a file rewritten in place by overlapping writers), killed once part of it is acknowledged.
    const created: string[] = [];
    const deleted: string[] = [];
    const burst = [
      ...Array.from({ length: 80 }, (_, i) => `burst.${i}@example.com`).map(async (email) => {
        await create(first.client, first.userPoolId, email);
        created.push(email);
      }),
      ...base.slice(0, 60).map(async (email) => {
        await first.client.send(new AdminDeleteUserCommand({ UserPoolId: first.userPoolId, Username: email }));
        deleted.push(email);
      }),
    ];
    const settled = Promise.allSettled(burst);
    let done = false;
    void settled.then(() => (done = true));
    while (created.length < 5 && !done) await new Promise((r) => setTimeout(r, 5));
    first.child.process.kill("SIGKILL");
    await settled;
    await first.child.stop();
    expect(created.length).toBeGreaterThanOrEqual(5);
    await parseAll(dataDir);

    const second = await start(dataDir, port);
    try {
      expect(second.userPoolId).toBe(first.userPoolId);
      const found = await Promise.all(created.map((e) => exists(second.client, second.userPoolId, e)));
      expect(created.filter((_, i) => !found[i])).toEqual([]);
      const back = await Promise.all(deleted.map((e) => exists(second.client, second.userPoolId, e)));
      expect(deleted.filter((_, i) => back[i])).toEqual([]);
      expect(await exists(second.client, second.userPoolId, "base.149@example.com")).toBe(true);
    } finally {
      await second.child.stop();
    }
  }, 90_000);
});
