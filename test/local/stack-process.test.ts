import { describe, expect, it } from "vitest";
import { dataFolder, eventually, ready, registerUser, running, start, tree, userStatus } from "./npm-start.ts";

/** npm start's emulators must not outlive it however it dies; one stack per data folder. */
describe("npm start's processes", () => {
  it("leaves no emulator running when its server process is killed with kill -9, and the next start takes over the stale lock with the data intact", async () => {
    const dataDir = await dataFolder();
    const first = await start(dataDir);
    await ready(first);
    const { apiKey, id } = await registerUser(first, dataDir);
    const { server, emulators } = tree(first);
    expect(emulators.some((p) => p.args.includes("DynamoDBLocal.jar"))).toBe(true);
    expect(emulators.some((p) => p.args.includes("cognito/main.ts"))).toBe(true);

    process.kill(server.pid, "SIGKILL");
    await eventually("every emulator has exited", () => emulators.every((p) => !running(p.pid)));
    await first.exited;

    const second = await start(dataDir);
    await ready(second);
    expect(await userStatus(second, apiKey, id)).toBe(200);
    second.child.kill("SIGTERM"); // as Ctrl-C: tsx relays it, the stack stops in order
    expect(await second.exited).toBe(0);
  }, 180_000);

  it("refuses a second stack on the same folder in one line before touching its data, and ends the stack when tsx itself is killed", async () => {
    const dataDir = await dataFolder();
    const first = await start(dataDir);
    await ready(first);
    const { apiKey, id } = await registerUser(first, dataDir);

    const second = await start(dataDir, ["--fresh"]);
    expect(await second.exited).toBe(1);
    const refusal = second
      .output()
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("✗"));
    expect(refusal).toEqual([
      expect.stringMatching(
        new RegExp(`^✗ Another local stack \\(pid ${tree(first).server.pid}\\) is using ${dataDir}: `),
      ),
    ]);
    expect(second.output()).not.toMatch(/Stopping/);
    expect(await userStatus(first, apiKey, id)).toBe(200); // --fresh wiped nothing

    // kill -9 of the process npm start runs (tsx), which leaves its child running on its own.
    const { server, emulators } = tree(first);
    first.child.kill("SIGKILL");
    await eventually("the server and every emulator have exited", () =>
      [server, ...emulators].every((p) => !running(p.pid)),
    );
  }, 180_000);
});
