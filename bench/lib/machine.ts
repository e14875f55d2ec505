import { execFileSync } from "node:child_process";
import os from "node:os";

export type Machine = {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
  commit: string;
};

const git = (args: string[]): string => {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};

/** What the figures were measured on: they mean little without it. */
export const describeMachine = (): Machine => {
  const cpus = os.cpus();
  const head = git(["rev-parse", "--short", "HEAD"]);
  const dirty = head && git(["status", "--porcelain", "--untracked-files=no"]) ? " + uncommitted changes" : "";
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit: head ? `${head}${dirty}` : "unknown",
  };
};
