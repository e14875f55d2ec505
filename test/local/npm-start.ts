import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import getPort from "get-port";
import { afterAll, expect } from "vitest";

/**
 * `npm start` as a user runs it (tsx packages/local/src/cli.ts), as a real child process on a
 * temp data folder, for tests that kill it or send it what could crash it (never the shared
 * test stack, which runs in vitest's main process). Whatever a test leaves running is killed
 * after the file, and its folders removed.
 */
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const cli = fileURLToPath(new URL("../../packages/local/src/cli.ts", import.meta.url));

type Proc = { pid: number; ppid: number; stat: string; args: string };
const table = (): Proc[] =>
  execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3] ?? "", args: m[4] ?? "" }] : []));
const descendants = (root: number): Proc[] => {
  const all = table();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length) {
    const children = all.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
};
/** Gone, or a zombie waiting to be reaped (it runs nothing and holds no port). */
export const running = (pid: number) => table().some((p) => p.pid === pid && !p.stat.startsWith("Z"));
export const eventually = async (what: string, check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms / 1000}s: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

export type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null>; url: string };
export const start = async (dataDir: string, args: string[] = []): Promise<Started> => {
  const port = await getPort();
  const child = spawn(process.execPath, [tsx, cli, ...args], {
    env: { ...process.env, IAM_LOCAL_DIR: dataDir, PORT: String(port), IAM_API_KEY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  children.push(child);
  return { child, output: () => output, exited, url: `http://127.0.0.1:${port}` };
};
export const ready = async (s: Started) => {
  const up = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (/Ready in/.test(s.output())) {
        clearInterval(poll);
        resolve();
      }
    }, 100);
    void s.exited.then(() => clearInterval(poll));
  });
  await Promise.race([
    up,
    s.exited.then((code) => Promise.reject(new Error(`npm start exited (${code}):\n${s.output()}`))),
  ]);
};
/** The process running cli.ts (tsx runs it as its own child) and the emulators under it. */
export const tree = (s: Started) => {
  const all = descendants(s.child.pid ?? -1);
  for (const p of all) seen.set(p.pid, p.args);
  const server = all.find((p) => p.ppid === s.child.pid && p.args.includes("cli.ts"));
  if (!server) throw new Error("no server process under tsx");
  const emulators = all.filter((p) => /java .*DynamoDBLocal\.jar|cognito\/main\.ts/.test(p.args));
  return { server, emulators, all };
};

export const registerUser = async (s: Started, dataDir: string) => {
  const apiKey = (await readFile(join(dataDir, "api-key"), "utf8")).trim();
  const res = await fetch(`${s.url}/user`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({ email: "kept@example.com", name: "kept_user", password: "Correct-Horse1" }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  return { apiKey, id };
};
export const userStatus = async (s: Started, apiKey: string, id: string) =>
  (await fetch(`${s.url}/user/${id}`, { headers: { "x-api-key": apiKey } })).status;

const dirs: string[] = [];
/** A new temp data folder, removed after the file. */
export const dataFolder = async () => {
  const dir = await mkdtemp(join(tmpdir(), "iam-start-"));
  dirs.push(dir);
  return dir;
};
const children: ChildProcess[] = [];
/** Every process seen under a stack this file started, with its command line. */
const seen = new Map<number, string>();
afterAll(async () => {
  // Whatever a failed assertion left running: the processes this file started, and theirs. Only a
  // pid that still runs the same command is ours: a pid freed meanwhile may be someone else's now.
  for (const c of children)
    if (c.pid && c.exitCode === null && c.signalCode === null)
      for (const p of descendants(c.pid)) seen.set(p.pid, p.args);
  const now = table();
  for (const [pid, args] of seen)
    if (now.some((p) => p.pid === pid && p.args === args && !p.stat.startsWith("Z"))) process.kill(pid, "SIGKILL");
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
