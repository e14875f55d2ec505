import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StartError, startDynamo } from "./emulators.ts";

describe("starting the emulators", () => {
  it("says in one line how to fix a missing Java runtime, instead of a stack", async () => {
    const path = process.env.PATH;
    process.env.PATH = await mkdtemp(join(tmpdir(), "no-java-")); // nothing to execute here
    try {
      const started = startDynamo({ port: 1, logFile: join(tmpdir(), "unused.log") });
      await expect(started).rejects.toBeInstanceOf(StartError);
      await expect(started).rejects.toThrow(/^Java is missing: .*apt-get install -y openjdk-17-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("starting the local server", () => {
  it("says in one line that the port is taken and how to choose another", async () => {
    const { createServer } = await import("node:net");
    const { startServer } = await import("./server.ts");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startServer(port)).rejects.toThrow(new StartError(`Port ${port} is taken: stop what uses it or run PORT=${port + 1} npm start.`));
    } finally {
      blocker.close();
    }
  });
});
