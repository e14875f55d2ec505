import { chmod, mkdtemp, writeFile } from "node:fs/promises";
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

describe("starting DynamoDB Local on 127.0.0.1", () => {
  it("says in one line what to install when Java lacks the compiler module its launcher needs", async () => {
    const bin = await mkdtemp(join(tmpdir(), "jre-only-"));
    // A Java whose module list has no jdk.compiler, as a trimmed (jlink'ed) runtime.
    await writeFile(join(bin, "java"), "#!/bin/sh\necho java.base@17.0.15\necho java.logging@17.0.15\n");
    await chmod(join(bin, "java"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const started = startDynamo({ port: 1, logFile: join(tmpdir(), "unused.log") });
      await expect(started).rejects.toBeInstanceOf(StartError);
      await expect(started).rejects.toThrow(
        /^Java lacks the jdk\.compiler module, which builds the DynamoDB Local launcher: install a JDK 17\+/,
      );
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
      await expect(startServer(port)).rejects.toThrow(
        new StartError(`Port ${port} is taken: stop what uses it or run PORT=${port + 1} npm start.`),
      );
    } finally {
      blocker.close();
    }
  });
});
