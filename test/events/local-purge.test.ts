// First: msw listens from import on, and sees only connections opened after it starts.
import { failing, restoreAllFaults, SERVER_ERROR } from "../support/aws-faults.ts";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Config, Events } from "@iam/core";
import {
  type EventDelivery,
  type EventDeliveryOptions,
  STATE_FILE,
  startEventDelivery,
} from "@iam/local/events/delivery";
import { provisionTable } from "@iam/local/provision";
import { eventOf } from "./writer.ts";

/**
 * `npm start`'s purge of a deleted user's events (packages/local/src/events/delivery.ts), between
 * polls of the stream: an idle poll writes no state file, and a purge that fails (DynamoDB
 * answering 500 to its Query, msw in this process) is tried again later, not on every poll.
 * Polls are counted with `caughtUp()` (one per idle poll), never with a clock.
 */
const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "";
const dirs: string[] = [];
const deliveries: EventDelivery[] = [];
const lines: string[] = [];
const statePath = (dataDir: string) => join(dataDir, STATE_FILE);
const idlePolls = async (delivery: EventDelivery, n: number) => {
  for (let i = 0; i < n; i++) await delivery.caughtUp();
};
/** A delivery with a state folder of its own, polling every 10 ms; resolves once it has read the stream to its end. */
const deliver = async (tableName: string) => {
  const dataDir = await mkdtemp(join(tmpdir(), "iam-purge-"));
  dirs.push(dataDir);
  const options: EventDeliveryOptions = {
    dataDir,
    urls: [],
    secret: Events.newSecret(),
    schedule: [1],
    timeoutSeconds: 5,
    endpoint,
    tableName,
    idleMs: 10,
    log: (line) => lines.push(line),
  };
  const delivery = await startEventDelivery(options);
  deliveries.push(delivery);
  await delivery.caughtUp();
  return { delivery, dataDir };
};

afterAll(async () => {
  restoreAllFaults();
  await Promise.all(deliveries.map((d) => d.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("local delivery: the purge between polls", () => {
  it("writes no state file while nothing changes (10 idle polls, the same file)", async () => {
    // A table of its own: the suite's table carries every other test's writes, which are changes.
    const quiet = `purge-idle-${randomUUID()}`;
    await provisionTable(endpoint, quiet);
    const { delivery, dataDir } = await deliver(quiet);
    // Every save writes a new file and renames it over the old one: a new modification time.
    const written = async () => (await stat(statePath(dataDir), { bigint: true })).mtimeNs;
    await idlePolls(delivery, 2);
    const before = await written();
    await idlePolls(delivery, 10);
    expect(await written()).toBe(before);
  });

  it("tries a failing purge again later, not on every poll; it stays owed, and is done once DynamoDB answers", async () => {
    const { delivery, dataDir } = await deliver(Config.tableName);
    const userId = randomUUID();
    const fault = failing("dynamodb", "Query", SERVER_ERROR.dynamodb);
    await Events.record(eventOf(userId, "user.deleted"));
    await vi.waitFor(() => expect(lines.some((l) => l.includes(`purging the events of ${userId} failed`))).toBe(true), {
      timeout: 20_000,
    });
    await idlePolls(delivery, 40);
    const failures = lines.filter((l) => l.includes(`purging the events of ${userId} failed`)).length;
    // Before: one failure (and one log line) per poll, 40 or more.
    expect(failures).toBeLessThan(10);
    const owed = JSON.parse(await readFile(statePath(dataDir), "utf8")) as { purges: string[] };
    expect(owed.purges).toContain(userId);

    fault.restore();
    await vi.waitFor(
      async () => {
        const state = JSON.parse(await readFile(statePath(dataDir), "utf8")) as { purges: string[] };
        expect(state.purges).not.toContain(userId);
      },
      { timeout: 60_000, interval: 200 },
    );
  }, 90_000);
});
