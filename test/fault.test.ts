import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cognito, documentClient, s3 } from "../packages/core/src/aws.ts";
import { db } from "../packages/core/src/dynamo/service.ts";
import * as CognitoAdapter from "../packages/core/src/auth/cognito.ts";
import { Config, User } from "@iam/core";
import { itemsMentioning, newUser } from "./helpers.ts";

const cognitoHas = async (email: string) => {
  try {
    await cognito().send(new AdminGetUserCommand({ UserPoolId: Config.auth.userPoolId, Username: email }));
    return true;
  } catch (e) {
    if ((e as Error).name === "UserNotFoundException") return false;
    throw e;
  }
};

afterEach(() => vi.restoreAllMocks());

/** Every DynamoDB TransactWrite fails (as a DynamoDB 500 would); other calls go through. */
const failTransactions = () => {
  const client = documentClient();
  const send = client.send.bind(client);
  vi.spyOn(client, "send").mockImplementation(((command: unknown, ...rest: unknown[]) => {
    if (command instanceof TransactWriteCommand) return Promise.reject(Object.assign(new Error("injected"), { name: "InternalServerError" }));
    return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as typeof client.send);
};

/** Registration writes two stores; a failure after the Cognito create must leave neither an orphan. */
describe("register under injected faults", () => {
  it("removes the Cognito user when the DynamoDB transaction fails", async () => {
    failTransactions();
    const body = newUser();
    await expect(User.register(User.RegisterInput.parse(body))).rejects.toThrow("injected");
    vi.restoreAllMocks();
    expect(await cognitoHas(body.email)).toBe(false);
    await expect(User.getByUnique("email", body.email)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The address is free again.
    expect((await User.register(User.RegisterInput.parse(body))).email).toBe(body.email);
  });

  it("removes the Cognito user when adding it to the USER group fails", async () => {
    vi.spyOn(CognitoAdapter, "addToGroup").mockRejectedValueOnce(new Error("injected group failure"));
    const body = newUser();
    await expect(User.register(User.RegisterInput.parse(body))).rejects.toThrow("injected group failure");
    expect(await cognitoHas(body.email)).toBe(false);
  });

  it("maps a throttled dependency to 429 with Retry-After, not 500", async () => {
    // The app in this process (app.request), so the stubbed client is the one it uses.
    const { createApp } = await import("../packages/functions/src/app.ts");
    const client = documentClient();
    vi.spyOn(client, "send").mockRejectedValue(Object.assign(new Error("slow down"), { name: "ProvisionedThroughputExceededException" }));
    const res = await createApp().request(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": Config.bootstrapApiKey } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});

/** Delete spans three stores; a failure at any step must leave a state a retried DELETE finishes. */
describe("delete under injected faults", () => {
  const register = async () => User.register(User.RegisterInput.parse(newUser()));
  const tombstone = async (id: string) => (await db().entities.deletion.get({ userId: id }).go({ consistent: true })).data;

  it("keeps the user whole when the DynamoDB transaction fails, and a retry deletes it", async () => {
    const user = await register();
    failTransactions();
    await expect(User.remove(user.id)).rejects.toThrow("injected");
    vi.restoreAllMocks();
    expect((await User.getById(user.id)).email).toBe(user.email);
    expect(await cognitoHas(user.email)).toBe(true);
    await User.remove(user.id);
    expect(await cognitoHas(user.email)).toBe(false);
    expect(await itemsMentioning(user.id)).toEqual([]);
  });

  it("hides the user at once when Cognito's delete fails; a retry or a new registration finishes the job", async () => {
    const user = await register();
    vi.spyOn(CognitoAdapter, "deleteUser").mockRejectedValueOnce(Object.assign(new Error("injected"), { name: "InternalErrorException" }));
    await expect(User.remove(user.id)).rejects.toThrow("injected");
    expect(await User.findById(user.id, { consistent: true })).toBeNull();
    expect(await tombstone(user.id)).toMatchObject({ email: user.email });
    expect(await cognitoHas(user.email)).toBe(true);
    // Still deletable: the retry resumes from the tombstone.
    await User.remove(user.id);
    expect(await cognitoHas(user.email)).toBe(false);
    expect(await itemsMentioning(user.id)).toEqual([]);

    const other = await register();
    vi.spyOn(CognitoAdapter, "deleteUser").mockRejectedValueOnce(new Error("injected again"));
    await expect(User.remove(other.id)).rejects.toThrow("injected again");
    vi.restoreAllMocks();
    // The address registers again: the pending deletion's Cognito user is reclaimed.
    const again = await User.register(User.RegisterInput.parse({ ...newUser(), email: other.email }));
    expect(again.id).not.toBe(other.id);
    expect(await User.findById(other.id, { consistent: true })).toBeNull();
    expect(await tombstone(other.id)).toBeNull();
  });

  it("leaves a resumable tombstone when S3 fails, and a retry deletes everything", async () => {
    const user = await register();
    vi.spyOn(s3(), "send").mockRejectedValueOnce(Object.assign(new Error("injected s3"), { name: "ServiceUnavailable" }));
    await expect(User.remove(user.id)).rejects.toThrow("injected s3");
    vi.restoreAllMocks();
    expect(await tombstone(user.id)).not.toBeNull();
    await User.remove(user.id);
    expect(await tombstone(user.id)).toBeNull();
    expect(await cognitoHas(user.email)).toBe(false);
  });
});
