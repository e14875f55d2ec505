import { afterEach, describe, expect, it } from "vitest";
import { Config, Reconciler, User } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { itemsMentioning, leftOfDeletedUser, newUser } from "./helpers.ts";
import { SERVER_ERROR, THROTTLED, failing, restoreAllFaults } from "./support/aws-faults.ts";
import { backdate, cognitoHas, intentOf, tombstoneOf } from "./support/saga.ts";

/**
 * Faults injected at the HTTP layer with msw (test/support/aws-faults.ts), so the SDK's retries
 * and error parsing are real. Core and the app run in this process, where msw intercepts.
 */
afterEach(() => restoreAllFaults());

const register = (body = newUser()) => User.register(User.RegisterInput.parse(body));
/** The name of the AWS error the call failed with (ElectroDB wraps the SDK's); "resolved" if it did not fail. */
const failureName = async (call: Promise<unknown>): Promise<string> => {
  try {
    await call;
    return "resolved";
  } catch (e) {
    let c = e;
    while ((c as Error).name === "ElectroError" && (c as { cause?: unknown }).cause)
      c = (c as { cause?: unknown }).cause;
    return (c as Error).name;
  }
};
/** One reconciler pass over what this test left, made to look older than the pass's bound. */
const reconcileOwn = async (items: Parameters<typeof backdate>[1]) => {
  await backdate(3600, items);
  return Reconciler.reconcile({ olderThanSeconds: 60 });
};

describe("registration under faults: nothing lost, nothing orphaned", () => {
  it("a commit DynamoDB refuses (500 on every try) removes the Cognito user and the intent; the address registers again", async () => {
    const body = newUser();
    const fault = failing("dynamodb", "TransactWriteItems", SERVER_ERROR.dynamodb);
    expect(await failureName(register(body))).toBe("InternalServerError");
    expect(fault.hits).toBe(3); // the SDK's own retries ran
    fault.restore();
    expect(await cognitoHas(body.email)).toBe(false);
    expect(await intentOf("register", body.email)).toBeNull();
    await expect(User.getByUnique("email", body.email)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await register(body)).email).toBe(body.email);
  });

  it("a failing group add removes the Cognito user again", async () => {
    const body = newUser();
    failing("cognito", "AdminAddUserToGroup", SERVER_ERROR.cognito);
    expect(await failureName(register(body))).toBe("InternalErrorException");
    expect(await cognitoHas(body.email)).toBe(false);
    expect(await intentOf("register", body.email)).toBeNull();
  });

  it("a commit that landed but whose answer was lost keeps the user: decided by reading, not by guessing", async () => {
    const body = newUser();
    const fault = failing("dynamodb", "TransactWriteItems", "drop", { times: 1 });
    const user = await register(body);
    expect(fault.hits).toBe(1);
    expect(user.activationCode).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(await cognitoHas(body.email)).toBe(true);
    expect((await User.getById(user.id, { consistent: true })).email).toBe(body.email);
    expect(await intentOf("register", body.email)).toBeNull();
    expect((await User.activate(user.activationCode)).status).toBe("CONFIRMED");
  });

  it("a connection reset before the commit reached DynamoDB rolls back both stores", async () => {
    const body = newUser();
    failing("dynamodb", "TransactWriteItems", "reset");
    await expect(register(body)).rejects.toThrow();
    restoreAllFaults();
    expect(await cognitoHas(body.email)).toBe(false);
    expect(await intentOf("register", body.email)).toBeNull();
    expect(await itemsMentioning(body.email)).toEqual([]);
  });

  it("a Cognito create whose first answer was lost is finished by the SDK's retry: one user, nothing left over", async () => {
    const body = newUser();
    const fault = failing("cognito", "AdminCreateUser", "drop", { times: 1 });
    const user = await register(body);
    restoreAllFaults();
    expect(fault.hits).toBe(1);
    expect((await User.getById(user.id, { consistent: true })).email).toBe(body.email);
    expect(await intentOf("register", body.email)).toBeNull();
    expect(await cognitoHas(body.email)).toBe(true);
  });

  it("a Cognito create that landed unanswered leaves an intent; one reconciler pass removes the orphan", async () => {
    const body = newUser();
    // Every attempt (the SDK retries a dropped connection): the first lands, no answer gets back.
    failing("cognito", "AdminCreateUser", "drop");
    await expect(register(body)).rejects.toThrow();
    restoreAllFaults();
    // Cognito created the user; nobody knows its sub: the intent says what to look for.
    expect(await cognitoHas(body.email)).toBe(true);
    expect(await intentOf("register", body.email)).toMatchObject({ state: "pending" });
    // A retry while the intent is young is told to come back, not given a duplicate.
    await expect(register(body)).rejects.toMatchObject({ code: "CONFLICT", details: { field: "email" } });
    const pass = await reconcileOwn({ registrations: [body.email] });
    expect(pass.registrations).toBeGreaterThanOrEqual(1);
    expect(await cognitoHas(body.email)).toBe(false);
    expect(await intentOf("register", body.email)).toBeNull();
    expect((await register(body)).email).toBe(body.email);
  });
});

describe("what the emulators cannot produce, mapped to a status a client can act on", () => {
  const app = createApp();
  const key = { "x-api-key": Config.bootstrapApiKey, "content-type": "application/json" };
  const login = () =>
    app.request("/auth/login", {
      method: "POST",
      headers: key,
      body: JSON.stringify({ email: "nobody@example.com", password: "Whatever-1" }),
    });

  it("Cognito throttling (TooManyRequestsException), after the SDK's own retries: 429 with Retry-After", async () => {
    const fault = failing("cognito", "AdminInitiateAuth", THROTTLED.cognito);
    const res = await login();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(fault.hits).toBe(3);
  });

  it("Cognito 5xx: 503 with Retry-After", async () => {
    failing("cognito", "AdminInitiateAuth", SERVER_ERROR.cognito);
    const res = await login();
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });

  it("DynamoDB ProvisionedThroughputExceededException, after the SDK's own retries: 429 with Retry-After", async () => {
    const fault = failing("dynamodb", "GetItem", THROTTLED.dynamodb);
    const throttled = await app.request(`/user/${crypto.randomUUID()}`, { headers: key });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(await throttled.json()).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(fault.hits).toBe(3);
  });
});

/** Delete spans three stores; a failure at any step leaves a state a retry or the reconciler finishes. */
describe("delete under faults", () => {
  it("keeps the user whole when the DynamoDB transaction fails, and a retry deletes it", async () => {
    const user = await register();
    failing("dynamodb", "TransactWriteItems", SERVER_ERROR.dynamodb);
    await expect(User.remove(user.id)).rejects.toThrow();
    restoreAllFaults();
    expect((await User.getById(user.id)).email).toBe(user.email);
    expect(await cognitoHas(user.email)).toBe(true);
    await User.remove(user.id);
    expect(await cognitoHas(user.email)).toBe(false);
    expect(await leftOfDeletedUser(user.id)).toEqual([]);
  });

  it("hides the user at once when Cognito's delete fails; one reconciler pass finishes the deletion", async () => {
    const user = await register();
    failing("cognito", "AdminDeleteUser", SERVER_ERROR.cognito);
    expect(await failureName(User.remove(user.id))).toBe("InternalErrorException");
    restoreAllFaults();
    expect(await User.findById(user.id, { consistent: true })).toBeNull();
    expect(await tombstoneOf(user.id)).toMatchObject({ email: user.email });
    expect(await cognitoHas(user.email)).toBe(true);
    const pass = await reconcileOwn({ deletions: [user.id] });
    expect(pass.deletions).toBeGreaterThanOrEqual(1);
    expect(await cognitoHas(user.email)).toBe(false);
    expect(await leftOfDeletedUser(user.id)).toEqual([]);
  });

  it("a new registration of the address finishes a pending deletion", async () => {
    const other = await register();
    failing("cognito", "AdminDeleteUser", SERVER_ERROR.cognito);
    await expect(User.remove(other.id)).rejects.toThrow();
    restoreAllFaults();
    const again = await register({ ...newUser(), email: other.email });
    expect(again.id).not.toBe(other.id);
    expect(await User.findById(other.id, { consistent: true })).toBeNull();
    expect(await tombstoneOf(other.id)).toBeNull();
  });

  it("leaves a resumable tombstone when S3 fails, and a retry deletes everything", async () => {
    const user = await register();
    failing("s3", "ListObjectsV2", SERVER_ERROR.s3);
    await expect(User.remove(user.id)).rejects.toThrow();
    restoreAllFaults();
    expect(await tombstoneOf(user.id)).not.toBeNull();
    await User.remove(user.id);
    expect(await tombstoneOf(user.id)).toBeNull();
    expect(await cognitoHas(user.email)).toBe(false);
  });
});
