import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StartError } from "./emulators.ts";
import { startServer } from "./server.ts";
import { startStack, type Stack } from "./stack.ts";

/** `npm start`: the whole service on this machine, on real AWS-API emulators. */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dataDir = process.env.IAM_LOCAL_DIR ? resolve(process.env.IAM_LOCAL_DIR) : `${root}.iam-local`;
const fresh = process.argv.includes("--fresh");
const port = Number(process.env.PORT ?? 3000);
const started = performance.now();
// The SDK warns on Node 20 that future releases need Node 22; the Lambda runtime is Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const say = (line: string) => process.stdout.write(`${line}\n`);

let stack: Stack | undefined;
let close: (() => Promise<void>) | undefined;
let stopEventDelivery: (() => Promise<void>) | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  if (stack) say("\nStopping…");
  await close?.().catch(() => undefined);
  await stopEventDelivery?.().catch(() => undefined);
  await stack?.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0)); // the terminal closed
// Whatever started this process going away (`npm start` runs it under tsx's own process, which
// a `kill -9` ends without a word) ends the stack too: this process is then re-parented.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 500).unref();

/** The reconciler, as the SST Cron runs it in production: on start (what a crash left) and every minute. */
const startReconciler = async () => {
  const { Reconciler } = await import("@iam/core");
  const pass = () =>
    Reconciler.reconcile()
      .then((r) => r.registrations + r.roles + r.deletions + r.failed > 0 && say(`  reconciler: ${JSON.stringify(r)}`))
      .catch((e: Error) => say(`  reconciler: ${e.message}`));
  await pass();
  setInterval(pass, 60_000).unref();
};

try {
  say(`Starting the local stack${fresh ? " (fresh)" : ""} in ${dataDir}`);
  stack = await startStack({
    dataDir,
    fresh,
    apiKey: process.env.IAM_API_KEY || undefined,
    progress: (step, ms) => say(`  ✓ ${step.padEnd(16)} ${(ms / 1000).toFixed(1)}s`),
  });
  Object.assign(process.env, stack.env);
  const server = await startServer(port);
  close = server.close;
  const url = server.url;
  say(`\nReady in ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  say(`  API        ${url}`);
  say(`  Docs       ${url}/docs`);
  say(`  OpenAPI    ${url}/openapi.json`);
  say(`  API key    ${stack.apiKey}`);
  say(`\nTry:\n  curl -s -X POST ${url}/user -H 'x-api-key: ${stack.apiKey}' -H 'content-type: application/json' \\`);
  say(`    -d '{"email":"ada@example.com","name":"ada_lovelace","password":"Analytical-Engine-1843"}'`);
  // Webhooks from the table's stream, as the stream → EventBridge → sender chain does on AWS.
  const { startLocalEventDelivery } = await import("./events/delivery.ts");
  stopEventDelivery = (await startLocalEventDelivery(dataDir, say)).stop;
  say(`\nCtrl-C stops everything.`);
  await startReconciler();
} catch (e) {
  process.stderr.write(`\n✗ ${e instanceof StartError ? e.message : `Could not start: ${(e as Error).message}`}\n`);
  await shutdown(1);
}
