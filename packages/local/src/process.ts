import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/** A child process whose output goes to a log file and which can be stopped and awaited. */
export type Child = { name: string; process: ChildProcess; stop: () => Promise<void> };

/**
 * Starts an emulator process that cannot outlive this one:
 * - stdin is a pipe this process holds and never writes to. The kernel closes it when this
 *   process exits, however it exits (`kill -9` included); the child watches it and exits
 *   (./parent.ts in Node, ./LoopbackDynamoDB.java in the JVM).
 * - stdout and stderr go straight to the log file, so the child never writes into a pipe whose
 *   reader is gone.
 * - detached: the child leads its own process group, so `stop` can end it with whatever it
 *   started, and a Ctrl-C reaches the emulators only through this process's orderly shutdown.
 */
export const startChild = (
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { logFile: string },
): Child => {
  const { logFile, ...spawnOptions } = options;
  const log = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, { ...spawnOptions, stdio: ["pipe", log, log], detached: true });
  } finally {
    closeSync(log); // the child has its own copy
  }
  child.stdin?.on("error", () => undefined); // EPIPE once the child is gone
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("error", () => undefined);
  return {
    name,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL"); // the whole group: the child and what it started
        } catch {
          // already gone
        }
      }, 5000);
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
    if (child && (child.process.exitCode !== null || child.process.signalCode !== null))
      throw new Error(`${what} exited with ${child.process.exitCode ?? child.process.signalCode}`);
    try {
      return await check();
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000}s: ${(lastError as Error)?.message}`);
};
