import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Events } from "@iam/core";
import { STATE_FILE } from "@iam/local/events/delivery";
import { startReceiver, type Received } from "../support/webhook-receiver.ts";
import { commitWithChange, eventOf } from "./writer.ts";

/**
 * A crash after commit still delivers: the local delivery runs in a child process (never the suite's
 * shared server), is killed with SIGKILL, and started again on the same state folder.
 */
const script = join(import.meta.dirname, "../support/delivery-process.ts");
const secret = Events.newSecret();
const children: ChildProcess[] = [];
let dataDir = "";

const start = (url: string) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      env: {
        ...process.env,
        ...inject("stackEnv"),
        EVENTS_DATA_DIR: dataDir,
        IAM_WEBHOOK_URLS: url,
        IAM_WEBHOOK_SECRET: secret,
        IAM_WEBHOOK_RETRY_SCHEDULE: "1,1,1,1,1",
        IAM_WEBHOOK_TIMEOUT_SECONDS: "2",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("caught-up") && resolve(child));
    child.once("exit", (code, signal) =>
      reject(new Error(`delivery process exited (${code ?? signal}): ${err.slice(-500)}`)),
    );
  });

const kill9 = async (child: ChildProcess) => {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
};

const state = async () =>
  JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8")) as {
    pending: unknown[];
    shards: Record<string, { after?: string }>;
  };

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("local delivery survives kill -9", () => {
  it("delivers events committed while it was dead, and one it was sending when killed; resumes from its checkpoint", {
    timeout: 120_000,
  }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "iam-events-crash-"));
    const receiver = await startReceiver();
    const userId = randomUUID();
    const mine = (all: Received[]) => all.filter((r) => (JSON.parse(r.body) as Events.Event).userId === userId);
    try {
      let child = await start(receiver.url);

      // Delivered and acknowledged before the crash, and saved as such (nothing pending, a checkpoint).
      const before = eventOf(userId, "user.registered");
      await commitWithChange(before);
      await receiver.until((all) => mine(all).length === 1);
      for (let tries = 0; ; tries++) {
        const s = await state();
        if (s.pending.length === 0 && Object.values(s.shards).some((sh) => sh.after)) break;
        if (tries > 100) throw new Error("the delivery state was never saved");
        await new Promise((r) => setTimeout(r, 100));
      }

      // Killed in the middle of a delivery: the receiver holds the request and never answers.
      const inFlight = eventOf(userId, "user.activated");
      receiver.answer((r) => (r.headers["webhook-id"] === inFlight.id ? "hang" : 204));
      await commitWithChange(inFlight);
      await receiver.until((all) => all.some((r) => r.headers["webhook-id"] === inFlight.id));
      await kill9(child);

      // Committed while nothing reads the stream.
      const whileDead = eventOf(userId, "session.login_succeeded");
      await commitWithChange(whileDead);

      receiver.answer(() => 204);
      child = await start(receiver.url);
      const count = (all: Received[], id: string) => mine(all).filter((r) => r.headers["webhook-id"] === id).length;
      const got = await receiver.until((all) => count(all, whileDead.id) >= 1 && count(all, inFlight.id) >= 2, 60_000);

      const events = mine(got).map((r) => new Webhook(secret).verify(r.body, r.headers) as Events.Event);
      expect(events.filter((e) => e.id === whileDead.id)).toEqual([whileDead]);
      // At least once: the interrupted delivery is made again, with the same webhook-id.
      expect(events.filter((e) => e.id === inFlight.id).length).toBeGreaterThanOrEqual(2);
      // Resumed from the checkpoint, not from the stream's start: the first event is not sent again.
      expect(events.filter((e) => e.id === before.id)).toHaveLength(1);
      await kill9(child);
    } finally {
      await receiver.close();
    }
  });
});
