/**
 * `npm run bench`: starts the local stack (in memory, temp folder), runs the in-process
 * measurements in a child process (measure.ts), builds and cold-starts the Lambda bundle, prints
 * the tables and puts them at the top of docs/BENCHMARKS.md.
 *
 * BENCH_QUICK=1 runs a few rounds of everything (a smoke test of the bench itself; its figures
 * mean nothing and docs/BENCHMARKS.md is left alone).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync, closeSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "@iam/local/stack";
import { writeBenchmarks } from "./lib/doc.ts";
import { describeMachine } from "./lib/machine.ts";
import { renderRun } from "./lib/report.ts";
import type { MeasureResults } from "./lib/results.ts";
import { measureBundle } from "./sections/bundle.ts";

const root = join(import.meta.dirname, "..");
const quick = process.env.BENCH_QUICK === "1";
const say = (line: string) => process.stderr.write(`${line}\n`);
const started = performance.now();
const machine = describeMachine();
say(
  `Benchmarks · ${machine.cores} × ${machine.cpuModel} · Node ${machine.node}${quick ? " · QUICK (figures not kept)" : ""}`,
);

const dataDir = await mkdtemp(join(tmpdir(), "iam-bench-"));
const apiKey = `iam_bench_${randomBytes(16).toString("hex")}`;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
say("· starting DynamoDB Local, cognito-local, s3rver");
const stack = await startStack({
  dataDir,
  inMemory: true,
  apiKey,
  progress: (step, ms) => say(`  ✓ ${step} ${(ms / 1000).toFixed(1)}s`),
});

/** measure.ts in its own process: the service's stdout logs go to a file, progress to our stderr. */
const measure = async (): Promise<MeasureResults> => {
  const resultFile = join(dataDir, "measure.json");
  const log = openSync(join(dataDir, "service.log"), "w");
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/measure.ts"), resultFile], {
        cwd: root,
        env: { ...process.env, ...stack.env, LOG_LEVEL: "info", NODE_ENV: "production", BENCH_API_KEY: apiKey },
        stdio: ["ignore", log, "inherit"],
      });
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`bench/measure.ts exited with ${code}`);
  } finally {
    closeSync(log);
  }
  return JSON.parse(await readFile(resultFile, "utf8")) as MeasureResults;
};

try {
  const measured = await measure();
  say("· 3. bundle and cold start");
  const bundle = await measureBundle({
    outDir: join(root, "bench", "dist"),
    rounds: quick ? 2 : 15,
    env: stack.env,
    apiKey,
    userId: measured.fixture.userId,
    getItem: { TableName: measured.fixture.getItem.TableName, Key: measured.fixture.getItem.Key },
  });
  const run = renderRun(machine, measured, bundle, (performance.now() - started) / 1000);
  process.stdout.write(`\n${run}\n`);
  if (!quick) {
    await writeBenchmarks(join(root, "docs", "BENCHMARKS.md"), run);
    say("\nWritten to docs/BENCHMARKS.md");
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
