import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StartError } from "./emulators.ts";
import { LOCK_FILE, lockDataDir } from "./lock.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "iam-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
const deadPid = () => {
  const { pid } = spawnSync(process.execPath, ["-e", ""]);
  if (!pid) throw new Error("no pid");
  return pid;
};

describe("the data folder's lock", () => {
  it("refuses a second holder with a one-line StartError naming the holder, and leaves the lock as it was", async () => {
    const lock = await lockDataDir(dir);
    const second = lockDataDir(dir);
    await expect(second).rejects.toBeInstanceOf(StartError);
    await expect(second).rejects.toThrow(
      new RegExp(`^Another local stack \\(pid ${process.pid}\\) is using ${dir}: [^\\n]+$`),
    );
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("takes over a lock whose process is gone", async () => {
    await writeFile(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const lock = await lockDataDir(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it("takes over a lock file that names no process", async () => {
    await writeFile(join(dir, LOCK_FILE), "");
    const lock = await lockDataDir(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it("can be taken again once released", async () => {
    await (await lockDataDir(dir)).release();
    const again = await lockDataDir(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await again.release();
  });
});
