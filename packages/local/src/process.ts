import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createWriteStream } from "node:fs";

/** A child process whose output goes to a log file and which can be stopped and awaited. */
export type Child = { name: string; process: ChildProcess; stop: () => Promise<void> };

export const startChild = (name: string, command: string, args: string[], options: SpawnOptions & { logFile: string }): Child => {
  const { logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
  const out = createWriteStream(logFile, { flags: "a" });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("error", () => undefined);
  return {
    name,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** Polls `check` until it resolves, or fails with the child's exit or a timeout. */
export const waitUntil = async (what: string, check: () => Promise<unknown>, child?: Child, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.process.exitCode !== null) throw new Error(`${what} exited with code ${child.process.exitCode}`);
    try {
      return await check();
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000}s: ${(lastError as Error)?.message}`);
};
