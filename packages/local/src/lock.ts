import { link, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StartError } from "./emulators.ts";

/**
 * One local stack per data folder. Two stacks on one folder corrupt each other's emulator data,
 * and `--fresh` would wipe a running stack's data: the lock is taken before anything in the
 * folder is touched. The lock file holds the owner's pid; a lock whose process is gone (a crash,
 * `kill -9`) is stale and taken over.
 */
export type Lock = { file: string; release: () => Promise<void> };

export const LOCK_FILE = "stack.lock";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
};

const holder = async (file: string): Promise<number | undefined> => {
  const pid = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/** Takes the lock on `dataDir` (which must exist) or throws a one-line StartError. */
export const lockDataDir = async (dataDir: string): Promise<Lock> => {
  const file = join(dataDir, LOCK_FILE);
  const mine = `${file}.${process.pid}`;
  await writeFile(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // link() creates the lock with its content in one step, and fails if it exists.
        await link(mine, file);
        return {
          file,
          release: async () => {
            if ((await holder(file)) === process.pid) await rm(file, { force: true });
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const pid = await holder(file);
      if (pid !== undefined && alive(pid))
        throw new StartError(
          `Another local stack (pid ${pid}) is using ${dataDir}: stop it first, or set IAM_LOCAL_DIR to another folder.`,
        );
      // Stale (or half-written by a starter that just lost the race): move it aside under a name
      // of our own. Two starters may both get here; if what we moved turns out to be a live
      // lock that another starter created meanwhile, it is put back and we try again.
      const aside = `${file}.stale.${process.pid}`;
      try {
        await rename(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        continue;
      }
      const moved = await holder(aside);
      if (moved !== pid && moved !== undefined && alive(moved)) await link(aside, file).catch(() => undefined);
      await rm(aside, { force: true });
    }
    throw new StartError(`Could not take the lock ${file}: other stacks keep starting on ${dataDir}.`);
  } finally {
    await rm(mine, { force: true });
  }
};
