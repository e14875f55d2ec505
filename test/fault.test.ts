import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cognito, documentClient } from "../packages/core/src/aws.ts";
import * as CognitoAdapter from "../packages/core/src/auth/cognito.ts";
import { Config, User } from "@iam/core";
import { newUser } from "./helpers.ts";

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

/** Registration writes two stores; a failure after the Cognito create must leave neither an orphan. */
describe("register under injected faults", () => {
  it("removes the Cognito user when the DynamoDB transaction fails", async () => {
    const client = documentClient();
    const send = client.send.bind(client);
    vi.spyOn(client, "send").mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof TransactWriteCommand) return Promise.reject(Object.assign(new Error("injected"), { name: "InternalServerError" }));
      return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof client.send);
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
