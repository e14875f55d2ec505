import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandOutput,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { clientOptions, once } from "./aws.ts";

export const cognito = once(() => new CognitoIdentityProviderClient(clientOptions()));

/**
 * The Cognito user pool, as the domain uses it. Users are created by an administrator call with
 * Cognito's own invitation suppressed: activation is this service's job.
 *
 * Cognito's error names are known here and nowhere else: each function turns the answers the
 * domain acts on into outcomes (`"exists"`, `null` for refused credentials or an absent user, an
 * `AppError` for a password the pool's policy refuses); any other error (throttling, an outage)
 * goes up unchanged, for the edge to map (adapters/aws.ts `dependencyFailure`).
 */
const pool = () => Config.auth.userPoolId;

/** The SDK error's name: Cognito's answer, as the SDK parses it. */
const nameOf = (e: unknown): string | undefined => (e instanceof Error ? e.name : undefined);

/** A user the pool does not have: for deletion and sign-out, nothing left to do. */
const isUserNotFound = (e: unknown) => nameOf(e) === "UserNotFoundException";

/** What Cognito (and cognito-local, which says InvalidPasswordException) answers for bad credentials. */
const BAD_CREDENTIALS = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "UserNotConfirmedException",
  "InvalidPasswordException",
  "PasswordResetRequiredException",
]);

/** What Cognito answers for a refresh token it does not accept (unknown, expired, revoked, user gone). */
const REFRESH_REFUSED = new Set(["NotAuthorizedException", "UserNotFoundException", "InvalidParameterException"]);

/** The pool's password policy refused the password: a 400 for the caller (the API's own check normally comes first). */
const weakPassword = (e: unknown): AppError | undefined =>
  nameOf(e) === "InvalidPasswordException"
    ? new AppError("BAD_REQUEST", "The new password does not meet the password policy", {}, { cause: e })
    : undefined;

/**
 * Creates the user with a permanent password; `"exists"` when the pool already has a user with
 * this e-mail (the caller decides whether it is a conflict or a leftover to clean up).
 */
export const createUser = async (email: string, password: string): Promise<{ sub: string } | "exists"> => {
  let created: AdminCreateUserCommandOutput;
  try {
    created = await cognito().send(
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
  } catch (e) {
    if (nameOf(e) === "UsernameExistsException") return "exists";
    throw e;
  }
  const sub = created.User?.Attributes?.find((a) => a.Name === "sub")?.Value;
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
    if (!isUserNotFound(e)) throw e;
  }
};

/** The pool's record of a user, or null; used to find what a crashed registration left behind. */
export const findUser = async (username: string): Promise<{ sub?: string; createdAt?: Date } | null> => {
  try {
    const user = await cognito().send(new AdminGetUserCommand({ UserPoolId: pool(), Username: username }));
    return { sub: user.UserAttributes?.find((a) => a.Name === "sub")?.Value, createdAt: user.UserCreateDate };
  } catch (e) {
    if (isUserNotFound(e)) return null;
    throw e;
  }
};

/** Tokens as Cognito issues them; the access token is always there (else the call threw). */
export type SignedIn = AuthenticationResultType & { AccessToken: string };

/**
 * One AdminInitiateAuth: the tokens, or null when Cognito refuses (`refused` names the errors that
 * mean "not these credentials"). The one place both sign-in flows call.
 */
const initiateAuth = async (
  flow: "ADMIN_USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH",
  parameters: Record<string, string>,
  refused: ReadonlySet<string>,
): Promise<SignedIn | null> => {
  let result: AuthenticationResultType | undefined;
  try {
    ({ AuthenticationResult: result } = await cognito().send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool(),
        ClientId: Config.auth.clientId,
        AuthFlow: flow,
        AuthParameters: parameters,
      }),
    ));
  } catch (e) {
    if (refused.has(nameOf(e) ?? "")) return null;
    throw e;
  }
  const accessToken = result?.AccessToken;
  if (!result || !accessToken) throw new Error(`Cognito returned no tokens for ${flow} (unexpected challenge)`);
  return { ...result, AccessToken: accessToken };
};

/** A password sign-in: the tokens, or null when Cognito refuses the credentials (wrong password, no such user…). */
export const passwordAuth = (email: string, password: string): Promise<SignedIn | null> =>
  initiateAuth("ADMIN_USER_PASSWORD_AUTH", { USERNAME: email, PASSWORD: password }, BAD_CREDENTIALS);

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
  const { Groups } = await cognito().send(
    new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: username, Limit: 60 }),
  );
  return (Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : []));
};

export const removeFromGroup = async (username: string, group: string): Promise<void> => {
  await cognito().send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username: username, GroupName: group }),
  );
};

/**
 * Sets a permanent password (no "change at next sign-in" state). A password the pool's policy
 * refuses is a 400 (`AppError`).
 */
export const setPassword = async (username: string, password: string): Promise<void> => {
  try {
    await cognito().send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool(), Username: username, Password: password, Permanent: true }),
    );
  } catch (e) {
    throw weakPassword(e) ?? e;
  }
};

/**
 * New access and id tokens for a refresh token (the app client has no secret, so no SECRET_HASH),
 * or null when Cognito does not accept the refresh token.
 */
export const refreshAuth = (refreshToken: string): Promise<SignedIn | null> =>
  initiateAuth("REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refreshToken }, REFRESH_REFUSED);

/**
 * AdminUserGlobalSignOut: Cognito revokes the user's refresh tokens (its access tokens stay
 * cryptographically valid until they expire: the service's own revocation time covers those).
 * A user no longer in the pool has no session left to end.
 */
export const globalSignOut = async (username: string): Promise<void> => {
  try {
    await cognito().send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool(), Username: username }));
  } catch (e) {
    if (!isUserNotFound(e)) throw e;
  }
};
