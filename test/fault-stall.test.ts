import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "@iam/local/stack";
import { newUser } from "./helpers.ts";
import { pidListeningOn, startAppProcess, type AppProcess } from "./support/app-process.ts";

/**
 * A stalled dependency (its process stopped with SIGSTOP: connections are accepted by the kernel,
 * nothing answers) must cost a caller a bounded wait and a 503 with Retry-After, never a hang.
 * This file starts its OWN stack and app process, so stopping an emulator disturbs no other test.
 */
let dataDir = "";
let stack: Stack | undefined;
let app: AppProcess | undefined;
const stopped = new Set<number>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "iam-stall-"));
  stack = await startStack({ dataDir, inMemory: true }); // a strong key, generated in the temp folder
  // The production budget (4 s), not the suite's raised one.
  app = await startAppProcess({ ...stack.env, IAM_REQUEST_DEADLINE_MS: undefined });
}, 180_000);

afterAll(async () => {
  for (const pid of stopped) process.kill(pid, "SIGCONT");
  await app?.stop();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const started = performance.now();
  const res = await fetch(`${app?.url}${path}`, {
    method: init.method ?? "GET",
    headers: { "x-api-key": stack?.apiKey ?? "", "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    // A safety net so that a hang fails the test instead of stalling the run; not a timing check.
    signal: AbortSignal.timeout(20_000),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    json: await res.json(),
    ms: Math.round(performance.now() - started),
  };
};

/**
 * Waits until every thread of `pid` is stopped: SIGSTOP is delivered to each thread on its way back
 * to user space, so on a loaded machine a thread can still answer a request just after `kill`.
 */
const untilStopped = async (pid: number) => {
  const states = async () => {
    const tasks = await readdir(`/proc/${pid}/task`);
    const stats = await Promise.all(tasks.map((t) => readFile(`/proc/${pid}/task/${t}/stat`, "utf8").catch(() => "")));
    // The state follows the command name, which is in parentheses and may hold spaces.
    return stats.filter(Boolean).map((s) => s.slice(s.lastIndexOf(")") + 2, s.lastIndexOf(")") + 3));
  };
  for (let i = 0; i < 500; i++) {
    if ((await states()).every((s) => s === "T" || s === "t")) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`process ${pid} did not stop`);
};

/** Runs `work` while the process listening on the endpoint's port is stopped, and resumes it after. */
const whileStopped = async <T>(endpoint: string, work: () => Promise<T>): Promise<T> => {
  const pid = await pidListeningOn(Number(new URL(endpoint).port));
  process.kill(pid, "SIGSTOP");
  stopped.add(pid);
  try {
    await untilStopped(pid);
    return await work();
  } finally {
    process.kill(pid, "SIGCONT");
    stopped.delete(pid);
  }
};

describe("a stalled dependency (SIGSTOP of the emulator)", () => {
  it("DynamoDB Local stopped: 503 with Retry-After instead of a hang, and service resumes after SIGCONT", async () => {
    const env = stack?.env ?? {};
    const id = crypto.randomUUID();
    expect((await call(`/user/${id}`)).status).toBe(404);
    const [stalled, ready] = await whileStopped(env.AWS_ENDPOINT_URL_DYNAMODB ?? "", () =>
      Promise.all([call(`/user/${id}`), call("/health/ready")]),
    );
    console.info(
      `DynamoDB Local stalled: answered ${stalled.status} after ${stalled.ms} ms; /health/ready ${ready.status} after ${ready.ms} ms`,
    );
    expect(ready.status).toBe(503);
    expect(ready.json.dependencies.dynamodb.status).toBe("down");
    expect(ready.json.dependencies.cognito.status).toBe("up");
    expect(stalled.status).toBe(503);
    expect(stalled.json).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(Number(stalled.retryAfter)).toBeGreaterThan(0);
    expect((await call(`/user/${id}`)).status).toBe(404);
  });

  it("cognito-local stopped: login answers 503 with Retry-After; after SIGCONT it works again", async () => {
    const env = stack?.env ?? {};
    const body = newUser();
    const registered = await call("/user", { method: "POST", body });
    expect(registered.status).toBe(201);
    const login = () => call("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    const stalled = await whileStopped(env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? "", login);
    console.info(`cognito-local stalled: answered ${stalled.status} after ${stalled.ms} ms`);
    expect(stalled.status).toBe(503);
    expect(stalled.json).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(Number(stalled.retryAfter)).toBeGreaterThan(0);
    // Unconfirmed users may not log in (403), which is an answer: Cognito is back.
    expect((await login()).status).toBe(403);
  });

  it("cognito-local gone (connection refused): 503 with Retry-After, and readiness names it", async () => {
    const env = stack?.env ?? {};
    process.kill(
      await pidListeningOn(Number(new URL(env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? "").port)),
      "SIGKILL",
    );
    const login = await call("/auth/login", {
      method: "POST",
      body: { email: "nobody@example.com", password: "Whatever-1" },
    });
    expect(login.status).toBe(503);
    expect(Number(login.retryAfter)).toBeGreaterThan(0);
    // The readiness result is cached a few seconds: wait past the last one.
    await new Promise((r) => setTimeout(r, 5_100));
    const ready = await call("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.json.dependencies.cognito.status).toBe("down");
  });
});
