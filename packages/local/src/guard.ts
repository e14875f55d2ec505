import { spawn } from "node:child_process";
import { whenParentGoes } from "./parent.ts";

/**
 * `node guard.ts <command> [args…]`: runs a command that cannot watch its parent itself (DynamoDB
 * Local's JVM) and ends it when the local stack goes, however the stack goes: the stack holds
 * this process's stdin (see `startChild`), and its closing means the stack is gone. SIGTERM and
 * SIGINT are passed on. Exits with the command's exit code.
 */
const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: guard.ts <command> [args…]\n");
  process.exit(2);
}
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
let ending = false;
const end = (signal: NodeJS.Signals) => {
  if (ending || child.exitCode !== null || child.signalCode !== null) return;
  ending = true;
  child.kill(signal);
  // A JVM that does not stop on SIGTERM in time is killed: the stack must not outlive its owner.
  setTimeout(() => child.kill("SIGKILL"), 5000).unref();
};
child.once("error", (e) => {
  process.stderr.write(`guard: cannot start ${command}: ${e.message}\n`);
  process.exit(127);
});
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
process.on("SIGTERM", () => end("SIGTERM"));
process.on("SIGINT", () => end("SIGTERM"));
whenParentGoes(() => end("SIGTERM"));
