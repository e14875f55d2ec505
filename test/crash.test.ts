import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { Config, Reconciler, User } from "@iam/core";
import { db, documentClient } from "@iam/core/testing";
import { apiKey, newUser } from "./helpers.ts";
import { startAppProcess, type AppProcess } from "./support/app-process.ts";
import { backdate, cognitoHas, intentOf, tombstoneOf } from "./support/saga.ts";

/**
 * `kill -9` of a real server process in the middle of registrations and deletions, then one
 * reconciler pass, then an audit of both stores with the service's own SDK clients. The server is a
 * child process of this test (the shared server of the global setup must not die), on the shared
 * stack. Bounded: a few kills of a dozen requests each.
 */
const ROUNDS = 3;
const REGISTRATIONS = 12;
const DELETIONS = 2;

type Body = ReturnType<typeof newUser>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const call = (app: AppProcess, method: string, path: string, body?: unknown) =>
  fetch(`${app.url}${path}`, {
    method,
    headers: { "x-api-key": apiKey(), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** What must be zero after a crash and one reconciler pass, counted for this test's users. */
const audit = async (bodies: Body[], deleted: string[]) => {
  const counts = {
    cognitoWithoutProfile: 0,
    profileWithoutCognito: 0,
    guardsWithoutUser: 0,
    activationsWithoutUser: 0,
    pendingTombstones: 0,
    intents: 0,
  };
  for (const body of bodies) {
    const { data: guard } = await db()
      .entities.unique.get({ kind: "email", value: body.email })
      .go({ consistent: true });
    const profile = guard ? await User.findById(guard.userId, { consistent: true }) : null;
    if (await cognitoHas(body.email)) {
      if (!profile) counts.cognitoWithoutProfile++;
    } else if (profile) counts.profileWithoutCognito++;
    for (const [kind, value] of [
      ["email", body.email],
      ["name", body.name.toLowerCase()],
      ["handle", User.handleFromName(body.name).toLowerCase()],
    ] as const) {
      const { data } = await db().entities.unique.get({ kind, value }).go({ consistent: true });
      if (data && !(await User.findById(data.userId, { consistent: true }))) counts.guardsWithoutUser++;
    }
    if (await intentOf("register", body.email)) counts.intents++;
  }
  for (const id of deleted) if (await tombstoneOf(id)) counts.pendingTombstones++;
  // Activation codes carry no e-mail: check every one in the table (a Scan, test-only).
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: Config.tableName,
        ConsistentRead: true,
        ExclusiveStartKey,
        FilterExpression: "#e = :a",
        ExpressionAttributeNames: { "#e": "__edb_e__" },
        ExpressionAttributeValues: { ":a": "activation" },
      }),
    );
    for (const item of page.Items ?? [])
      if (!(await User.findById(String(item.userId), { consistent: true }))) counts.activationsWithoutUser++;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return counts;
};

describe("crash (kill -9 of the server mid-load)", () => {
  it(`${ROUNDS} kills during ${REGISTRATIONS} registrations and ${DELETIONS} deletions each, then one reconciler pass: nothing orphaned`, async () => {
    const bodies: Body[] = [];
    const deleted: string[] = [];
    const outcomes = { completed: 0, cut: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const app = await startAppProcess(inject("stackEnv"));
      try {
        const victims: string[] = [];
        for (let i = 0; i < DELETIONS; i++) {
          const body = newUser();
          bodies.push(body);
          victims.push(((await (await call(app, "POST", "/user", body)).json()) as { id: string }).id);
        }
        deleted.push(...victims);
        const batch = Array.from({ length: REGISTRATIONS }, () => newUser());
        bodies.push(...batch);
        const load = [
          ...batch.map((body) => call(app, "POST", "/user", body)),
          ...victims.map((id) => call(app, "DELETE", `/user/${id}`)),
        ].map((p) =>
          p.then(
            () => outcomes.completed++,
            () => outcomes.cut++,
          ),
        );
        await sleep(400 + Math.random() * 1600);
        process.kill(app.pid, "SIGKILL");
        await Promise.all(load);
      } finally {
        await app.stop();
      }
    }
    // Requests the emulators had already received still complete after the kill: let them.
    await sleep(1000);
    const before = await audit(bodies, deleted);
    // What the kills left is made to look old, so one pass with a bound of a minute settles it
    // and nothing another test file has in flight.
    await backdate(3600, { registrations: bodies.map((b) => b.email), deletions: deleted });
    const pass = await Reconciler.reconcile({ olderThanSeconds: 60 });
    const after = await audit(bodies, deleted);
    console.info(
      `crash: ${ROUNDS} kills, requests completed ${outcomes.completed} / cut ${outcomes.cut}; left by the kills: ${JSON.stringify(before)}; reconciler pass: ${JSON.stringify(pass)}; after it: ${JSON.stringify(after)}`,
    );
    expect(after).toEqual({
      cognitoWithoutProfile: 0,
      profileWithoutCognito: 0,
      guardsWithoutUser: 0,
      activationsWithoutUser: 0,
      pendingTombstones: 0,
      intents: 0,
    });
    expect(pass.failed).toBe(0);
  }, 240_000);
});
