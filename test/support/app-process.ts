import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export type AppProcess = {
  url: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  stop: () => Promise<void>;
};

const script = join(import.meta.dirname, "serve-app.ts");

/**
 * Starts the HTTP app in a child process with `env` (a stack's configuration, over this process's
 * environment) and waits until it
 * serves. `entry` is another script that prints `listening <url>` the same way (e.g. legacy-rest/serve.ts). Unlike the shared server of the global setup, this one may be killed or stalled.
 */
export const startAppProcess = (env: Record<string, string | undefined>, entry: string = script): Promise<AppProcess> =>
  new Promise((resolve, reject) => {
    // `undefined` removes a variable the parent has (e.g. the suite's raised request deadline).
    const merged = Object.entries({ ...process.env, ...env, LOG_LEVEL: "silent" }).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, v] as const],
    );
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env: Object.fromEntries(merged),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /listening (\S+)/.exec(out);
      if (match?.[1] && child.pid !== undefined) {
        const pid = child.pid;
        resolve({
          url: match[1],
          child,
          pid,
          exited,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            await exited;
          },
        });
      }
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`app process exited (${code ?? signal}) before serving: ${err.slice(-500)}`)),
    );
  });

/** The pid of the process listening on a local TCP port (an emulator the test started), from `ss`. */
export const pidListeningOn = async (port: number): Promise<number> => {
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`nothing listens on port ${port}: ${out}`);
  return Number(pid);
};
