// First: msw must be listening before this file's first AWS call (aws-faults.ts).
import { failing, restoreAllFaults } from "../support/aws-faults.ts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Events, Password } from "@iam/core";
import { registered, rest } from "../helpers.ts";
import { allEventsOf } from "./writer.ts";

/**
 * `forgot` racing a DELETE of the account: the address's guard is read, then the user is deleted,
 * then forgot's transaction commits. Its `password.reset_requested` must not land under the
 * deleted user's id (where it would outlive the purge for the events' whole retention): the
 * transaction checks the guard it read, and a forgot that finds the guard gone records the event
 * about the address's hash, like any unknown address. The interleaving is forced, not timed: the
 * transaction is held at the HTTP layer (msw) until the DELETE has answered.
 */
afterEach(restoreAllFaults);

const BOOTSTRAP = { type: "apiKey", keyId: "bootstrap" } as const;

describe("forgot racing the account's deletion", () => {
  it("records password.reset_requested about the address's hash, never under the deleted user", async () => {
    const { user, body } = await registered();
    let release: () => void = () => {};
    const deleted = new Promise<void>((r) => {
      release = r;
    });
    const held = failing(
      "dynamodb",
      "TransactWriteItems",
      { until: deleted },
      { when: (b) => b.includes("password.reset_requested"), times: 1 },
    );
    const forgot = Password.forgot(body.email, { actor: BOOTSTRAP });
    // forgot has read the guard (the user still exists) and its transaction is on the wire.
    await vi.waitFor(() => expect(held.hits).toBe(1), { timeout: 30_000, interval: 20 });
    expect((await rest(`/user/${user.id}`, { method: "DELETE" })).status).toBe(200);
    release();
    expect((await forgot).resetCode).toEqual(expect.any(String));
    const underUser = (await allEventsOf({ userId: user.id })).filter((e) => e.type === "password.reset_requested");
    expect(underUser).toEqual([]);
    const underHash = await allEventsOf({ addressHash: Events.addressHash(body.email) });
    expect(underHash.map((e) => [e.type, e.actor])).toEqual([["password.reset_requested", BOOTSTRAP]]);
  });
});
