import { randomUUID } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Config } from "@iam/core";
import { describe, expect, it } from "vitest";
import { cognito } from "@iam/core/testing";

/**
 * The local Cognito behaves like AWS where the service's session rules depend on it. Each case
 * goes through the AWS SDK to the emulator the test stack runs.
 */
const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

const PASSWORD = "Correct-Horse1";

const signedIn = async () => {
  const email = `local.${randomUUID().slice(0, 8)}@example.com`;
  const UserPoolId = Config.auth.userPoolId;
  await cognito().send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: email,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
  await cognito().send(
    new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: PASSWORD, Permanent: true }),
  );
  const { AuthenticationResult } = await cognito().send(
    new AdminInitiateAuthCommand({
      UserPoolId,
      ClientId: Config.auth.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  const { AccessToken, IdToken, RefreshToken } = AuthenticationResult ?? {};
  if (!AccessToken || !IdToken || !RefreshToken) throw new Error("no tokens from the password sign-in");
  return { email, accessToken: AccessToken, idToken: IdToken, refreshToken: RefreshToken };
};

/** Both ways a client exchanges a refresh token: the admin API (the service) and the public one. */
const refreshers = {
  AdminInitiateAuth: (client: CognitoIdentityProviderClient, refreshToken: string) =>
    client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: Config.auth.userPoolId,
        ClientId: Config.auth.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ),
  InitiateAuth: (client: CognitoIdentityProviderClient, refreshToken: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: Config.auth.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ),
};

/** Waits until the clock's second is past `second` (JWT times are whole seconds). */
const pastSecond = async (second: number) => {
  while (Math.floor(Date.now() / 1000) <= second) await new Promise((r) => setTimeout(r, 50));
};

describe.each(Object.entries(refreshers))("local Cognito as AWS: refresh through %s", (_name, refresh) => {
  it("keeps the original sign-in time as auth_time in refreshed tokens, with a fresh iat", async () => {
    const session = await signedIn();
    const signedInAt = claims(session.accessToken).auth_time;
    expect(typeof signedInAt).toBe("number");
    await pastSecond(Number(signedInAt));
    const { AuthenticationResult } = await refresh(cognito(), session.refreshToken);
    const access = claims(AuthenticationResult?.AccessToken ?? "");
    const id = claims(AuthenticationResult?.IdToken ?? "");
    expect(access.auth_time).toBe(signedInAt);
    expect(id.auth_time).toBe(signedInAt);
    expect(Number(access.iat)).toBeGreaterThan(Number(signedInAt));
    expect(access.sub).toBe(claims(session.accessToken).sub);
  });

  it("refuses a refresh token after AdminUserGlobalSignOut, as AWS does", async () => {
    const session = await signedIn();
    await expect(refresh(cognito(), session.refreshToken)).resolves.toBeDefined(); // valid before
    await cognito().send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: Config.auth.userPoolId, Username: session.email }),
    );
    await expect(refresh(cognito(), session.refreshToken)).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });

  it("refuses a refresh for a disabled user with NotAuthorizedException, as AWS does", async () => {
    const session = await signedIn();
    await cognito().send(new AdminDisableUserCommand({ UserPoolId: Config.auth.userPoolId, Username: session.email }));
    await expect(refresh(cognito(), session.refreshToken)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });
});

describe("local Cognito as AWS: sign-in", () => {
  it("answers a disabled user's password sign-in with NotAuthorizedException 'User is disabled.'", async () => {
    const session = await signedIn();
    await cognito().send(new AdminDisableUserCommand({ UserPoolId: Config.auth.userPoolId, Username: session.email }));
    await expect(
      cognito().send(
        new AdminInitiateAuthCommand({
          UserPoolId: Config.auth.userPoolId,
          ClientId: Config.auth.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: session.email, PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "User is disabled." });
  });

  it("answers AdminUserGlobalSignOut for an unknown user with UserNotFoundException", async () => {
    await expect(
      cognito().send(
        new AdminUserGlobalSignOutCommand({
          UserPoolId: Config.auth.userPoolId,
          Username: `nobody.${randomUUID()}@example.com`,
        }),
      ),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
  });
});
