// First: msw must be listening before this file's first AWS call (aws-faults.ts).
import { TRANSACTION_CONFLICT, failing, restoreAllFaults } from "../support/aws-faults.ts";
import { afterEach, describe, expect, it } from "vitest";
import { Auth, User } from "@iam/core";
import { activeUser } from "../helpers.ts";
import { allEventsOf } from "./writer.ts";

/**
 * A successful login is never missing from the audit trail: when every round of the write that
 * gives the lockout's places back together with `lastLoginAt` and `session.login_succeeded` is
 * cancelled (DynamoDB's TransactionCanceled, injected with msw at the HTTP layer), the tokens
 * Cognito already issued are still answered, and the event and `lastLoginAt` are written after.
 */
afterEach(restoreAllFaults);

const BOOTSTRAP = { type: "apiKey", keyId: "bootstrap" } as const;
/** The login's own write: the user, its event, and the lockout's counters (more than two items). */
const loginsWrite = (body: string) =>
  body.includes("session.login_succeeded") &&
  ((JSON.parse(body) as { TransactItems?: unknown[] }).TransactItems ?? []).length > 2;

describe("a login whose write is cancelled every time", () => {
  it("answers its tokens and still records session.login_succeeded and lastLoginAt", async () => {
    const { user, body } = await activeUser();
    const before = await User.getById(user.id, { consistent: true });
    const eventsBefore = (await allEventsOf({ userId: user.id })).filter((e) => e.type === "session.login_succeeded");
    const fault = failing("dynamodb", "TransactWriteItems", TRANSACTION_CONFLICT, { when: loginsWrite });
    const tokens = await Auth.login(body.email, body.password, { actor: BOOTSTRAP, sourceIp: "192.0.2.44" });
    fault.restore();
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(fault.hits).toBeGreaterThan(0);
    const after = await User.getById(user.id, { consistent: true });
    expect(after.lastLoginAt).toEqual(expect.any(String));
    expect(after.lastLoginAt).not.toBe(before.lastLoginAt);
    const succeeded = (await allEventsOf({ userId: user.id })).filter((e) => e.type === "session.login_succeeded");
    expect(succeeded).toHaveLength(eventsBefore.length + 1);
    expect(succeeded.at(-1)?.sourceIp).toBe("192.0.2.44");
    expect(succeeded.at(-1)?.actor).toEqual(BOOTSTRAP);
  });
});
