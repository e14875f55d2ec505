/**
 * `npx tsx bench/profile.ts [route]`: a CPU profile of one route through the Lambda handler
 * in-process (as section 5 measures it), for finding where the time goes. Starts the local stack,
 * runs `bench/profile-child.ts` under `node --cpu-prof`, and prints self time by package and by
 * function. The .cpuprofile file stays in the temp folder printed at the end (load it in Chrome's
 * DevTools for the tree).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "@iam/local/stack";

const root = join(import.meta.dirname, "..");
const route = process.argv[2] ?? "id";
const dataDir = await mkdtemp(join(tmpdir(), "iam-profile-"));
const apiKey = `iam_bench_${randomBytes(16).toString("hex")}`;
const stack = await startStack({ dataDir, inMemory: true, apiKey });
const profFile = join(dataDir, `${route}.cpuprofile`);
try {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/profile-child.ts"), route, profFile], {
      cwd: root,
      env: { ...process.env, ...stack.env, LOG_LEVEL: "info", NODE_ENV: "production", BENCH_API_KEY: apiKey },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
} finally {
  await stack.stop();
}
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
const profile = JSON.parse(await readFile(profFile, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((s, i) => {
  self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const pkgOf = (url: string) => {
  if (!url) return "(native/gc)";
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m?.[1]) return m[1];
  if (url.startsWith("node:")) return "node";
  const p = url.match(/packages\/([^/]+)\/src\/(.*)/);
  if (p) return `@iam/${p[1]}/${p[2]}`;
  return url.replace(/^file:\/\//, "").replace(root, "");
};
const pkg = new Map<string, number>();
const fn = new Map<string, number>();
for (const [id, t] of self) {
  if (byId.get(id)?.callFrame.functionName === "(idle)") continue;
  const n = byId.get(id);
  if (!n) continue;
  const p = pkgOf(n.callFrame.url);
  pkg.set(p, (pkg.get(p) ?? 0) + t);
  const f = `${n.callFrame.functionName || "(anon)"} ${p}:${n.callFrame.lineNumber + 1}`;
  fn.set(f, (fn.get(f) ?? 0) + t);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const requests = Number(process.env.PROFILE_REQUESTS ?? 3000);
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, v]) =>
        `${(v / requests).toFixed(1).padStart(7)} µs/req  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`,
    )
    .join("\n");
process.stdout.write(
  `by package (µs per request, of ${requests}):\n${show(pkg, 40)}\n\nby function:\n${show(fn, 60)}\n\n${profFile}\n`,
);
