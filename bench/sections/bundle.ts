import { runNode } from "../lib/child.ts";
import { readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Metafile } from "esbuild";
import { API_ENTRY, buildApi } from "../../infra/build.ts";
import { apiEvent } from "../lib/lambda.ts";
import { analyze } from "../lib/metafile.ts";
import type { BundleResult, ColdStart } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";

/** P3: the handler's JavaScript, minified (bytes), and its cold start ÷ a hello-world handler's. */
export const SIZE_TARGET = 1_400_000;
export const COLD_TARGET = 3.3;

/** The entry and, transitively, the chunks it imports statically: what a cold start reads. */
const coldBytes = (metafile: Metafile, outfile: string): number => {
  const entry = Object.keys(metafile.outputs).find((o) => outfile.endsWith(o.replace(/^(\.\.\/)+/, "")));
  const seen = new Set<string>();
  const visit = (o: string | undefined) => {
    if (!o || seen.has(o)) return;
    seen.add(o);
    for (const i of metafile.outputs[o]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entry);
  return [...seen].reduce((sum, o) => sum + (metafile.outputs[o]?.bytes ?? 0), 0);
};

/**
 * Builds one function directory with infra/build.ts `buildApi`, the build `sst deploy` ships
 * (the baselines go through the same build); its metafile is kept next to it (for esbuild's
 * bundle analyzer). /docs' static files are left out: the size counted is the JavaScript.
 */
const bundle = async (entry: string, outDir: string) => {
  const { outfile, files, metafile } = await buildApi({ outDir, entry, docs: false });
  await writeFile(join(outDir, "handler.meta.json"), JSON.stringify(metafile));
  // Every JavaScript file of the directory: the entry and the chunks it loads on demand.
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  return { entry, outfile, files, metafile, bytes, entryBytes: statSync(outfile).size };
};

/** Imports the bundle and answers one event in this fresh process; prints its own timings. */
const CHILD = `
const t0 = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
const t1 = performance.now();
const res = await handler(JSON.parse(process.env.BENCH_EVENT), {});
const t2 = performance.now();
process.stdout.write("\\nBENCH_RESULT " + JSON.stringify({ status: res.statusCode, importMs: t1 - t0, totalMs: t2 }) + "\\n");
`;

type ColdSample = { status: number; importMs: number; totalMs: number; wallMs: number };

const coldOnce = async (bundlePath: string, event: unknown, env: Record<string, string>): Promise<ColdSample> => {
  const started = performance.now();
  const { code, out, err } = await runNode(["--input-type=module", "-e", CHILD], {
    ...process.env,
    ...env,
    BENCH_BUNDLE: `file://${bundlePath}`,
    BENCH_EVENT: JSON.stringify(event),
  });
  const wallMs = performance.now() - started;
  const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (code !== 0 || !line) throw new Error(`cold start of ${bundlePath} failed (${code}): ${err.slice(0, 500)}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as Omit<ColdSample, "wallMs">;
  if (r.status !== 200) throw new Error(`cold start of ${bundlePath}: status ${r.status}`);
  return { ...r, wallMs };
};

const median = (xs: number[]) => summarize(xs).median;

/**
 * Builds the production bundle (and two baselines: a hello-world handler, a bare GetItem
 * handler), reports size and what fills it, and times fresh `node` processes importing each and
 * serving one event, interleaved.
 */
export const measureBundle = async (options: {
  outDir: string;
  rounds: number;
  env: Record<string, string>;
  apiKey: string;
  userId: string;
  getItem: unknown;
}): Promise<BundleResult> => {
  await mkdir(options.outDir, { recursive: true });
  const api = await bundle(API_ENTRY, join(options.outDir, "api"));
  const hello = await bundle("bench/handlers/hello.ts", join(options.outDir, "hello"));
  const getItem = await bundle("bench/handlers/get-item.ts", join(options.outDir, "get-item"));
  const env = {
    ...options.env,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    BENCH_GET_ITEM: JSON.stringify(options.getItem),
  };
  const health = apiEvent("GET", "/health");
  const byId = apiEvent("GET", `/user/${options.userId}`, { headers: { "x-api-key": options.apiKey } });
  const variants = {
    apiHealth: [api.outfile, health],
    hello: [hello.outfile, health],
    apiById: [api.outfile, byId],
    getItem: [getItem.outfile, byId],
  } as const;
  const samples: Record<keyof typeof variants, ColdSample[]> = {
    apiHealth: [],
    hello: [],
    apiById: [],
    getItem: [],
  };
  const names = Object.keys(variants) as (keyof typeof variants)[];
  for (let round = -1; round < options.rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const [file, event] = variants[name];
      const sample = await coldOnce(file, event, env);
      if (round >= 0) samples[name].push(sample);
    }
  }
  const cold = (name: string, baseline: string, s: ColdSample[], b: ColdSample[], target?: number): ColdStart => {
    const subject = summarize(s.map((x) => x.totalMs));
    const base = summarize(b.map((x) => x.totalMs));
    return {
      name,
      baseline,
      subject,
      base,
      ratio: subject.median / base.median,
      target,
      subjectImportMs: median(s.map((x) => x.importMs)),
      baseImportMs: median(b.map((x) => x.importMs)),
      subjectWallMs: median(s.map((x) => x.wallMs)),
      baseWallMs: median(b.map((x) => x.wallMs)),
    };
  };
  return {
    bytes: api.bytes,
    entryBytes: api.entryBytes,
    coldBytes: coldBytes(api.metafile, api.outfile),
    gzipBytes: api.files.reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0),
    target: SIZE_TARGET,
    ...analyze(api.metafile, api.entry),
    helloBytes: hello.bytes,
    getItemBytes: getItem.bytes,
    coldStarts: [
      cold("GET /health", "hello-world handler", samples.apiHealth, samples.hello, COLD_TARGET),
      cold("GET /user/{id}", "bare GetItem handler", samples.apiById, samples.getItem),
    ],
    rounds: options.rounds,
  };
};
