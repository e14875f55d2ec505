import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import { cognito } from "../aws.ts";
import { Config } from "../config.ts";

/**
 * The Cognito user pool, as the domain uses it. Users are created by an administrator call with
 * Cognito's own invitation suppressed: activation is this service's job.
 */
const pool = () => Config.auth.userPoolId;

export const createUser = async (email: string, password: string): Promise<{ sub: string }> => {
  const { User } = await cognito().send(
    new AdminCreateUserCommand({
      UserPoolId: pool(),
      Username: email,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "false" },
      ],
    }),
  );
  const sub = User?.Attributes?.find((a) => a.Name === "sub")?.Value;
  if (!sub) throw new Error("Cognito AdminCreateUser returned no sub");
  await cognito().send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool(), Username: sub, Password: password, Permanent: true }),
  );
  return { sub };
};

export const addToGroup = async (username: string, group: string): Promise<void> => {
  await cognito().send(new AdminAddUserToGroupCommand({ UserPoolId: pool(), Username: username, GroupName: group }));
};

/** Deletes the Cognito user; an already-absent user counts as deleted. */
export const deleteUser = async (username: string): Promise<void> => {
  try {
    await cognito().send(new AdminDeleteUserCommand({ UserPoolId: pool(), Username: username }));
  } catch (e) {
    if ((e as Error).name !== "UserNotFoundException") throw e;
  }
};

/** The pool's record of a user, or null; used to find what a crashed registration left behind. */
export const findUser = async (username: string): Promise<{ sub?: string; createdAt?: Date } | null> => {
  try {
    const user = await cognito().send(new AdminGetUserCommand({ UserPoolId: pool(), Username: username }));
    return { sub: user.UserAttributes?.find((a) => a.Name === "sub")?.Value, createdAt: user.UserCreateDate };
  } catch (e) {
    if ((e as Error).name === "UserNotFoundException") return null;
    throw e;
  }
};

export const passwordAuth = async (email: string, password: string): Promise<AuthenticationResultType> => {
  const { AuthenticationResult } = await cognito().send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool(),
      ClientId: Config.auth.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (!AuthenticationResult?.AccessToken) throw new Error("Cognito returned no tokens (unexpected challenge)");
  return AuthenticationResult;
};

/** Sets `email_verified`; the address is sent along, as cognito-local requires (AWS accepts both forms). */
export const markEmailVerified = async (email: string): Promise<void> => {
  await cognito().send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: pool(),
      Username: email,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "true" },
      ],
    }),
  );
};

/** The names of the groups the user is in (a user is in at most a handful: one page). */
export const groupsOf = async (username: string): Promise<string[]> => {
  const { Groups } = await cognito().send(new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: username, Limit: 60 }));
  return (Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : []));
};

export const removeFromGroup = async (username: string, group: string): Promise<void> => {
  await cognito().send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username: username, GroupName: group }));
};

/** Sets a permanent password (no "change at next sign-in" state). */
export const setPassword = async (username: string, password: string): Promise<void> => {
  await cognito().send(new AdminSetUserPasswordCommand({ UserPoolId: pool(), Username: username, Password: password, Permanent: true }));
};

/** New access and id tokens for a refresh token (the app client has no secret, so no SECRET_HASH). */
export const refreshAuth = async (refreshToken: string): Promise<AuthenticationResultType> => {
  const { AuthenticationResult } = await cognito().send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool(),
      ClientId: Config.auth.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
  if (!AuthenticationResult?.AccessToken) throw new Error("Cognito returned no tokens for a refresh");
  return AuthenticationResult;
};

/**
 * AdminUserGlobalSignOut: Cognito revokes the user's refresh tokens (its access tokens stay
 * cryptographically valid until they expire: the service's own revocation time covers those).
 * A user no longer in the pool has no session left to end.
 */
export const globalSignOut = async (username: string): Promise<void> => {
  try {
    await cognito().send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool(), Username: username }));
  } catch (e) {
    if ((e as Error).name !== "UserNotFoundException") throw e;
  }
};
