import { ROLES } from "../packages/core/src/dynamo/entities/user.ts";
import { PasswordPolicy } from "../packages/core/src/user/schema.ts";
import { isProduction } from "./stage.ts";

const production = isProduction($app.stage);

/**
 * Users sign in with their e-mail address. Only the API creates users (AdminCreateUser): Cognito's
 * public SignUp is closed, and the pool's password policy is the one the API validates.
 */
export const userPool = new sst.aws.CognitoUserPool("UserPool", {
  usernames: ["email"],
  transform: {
    userPool: {
      passwordPolicy: {
        minimumLength: PasswordPolicy.MinimumLength,
        requireLowercase: PasswordPolicy.RequireLowercase,
        requireUppercase: PasswordPolicy.RequireUppercase,
        requireNumbers: PasswordPolicy.RequireNumbers,
        requireSymbols: PasswordPolicy.RequireSymbols,
        temporaryPasswordValidityDays: 7,
      },
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
      deletionProtection: production ? "ACTIVE" : "INACTIVE",
    },
  },
});

/** One group per role; lower precedence wins when a user is in several (ADMIN first). */
export const userGroups = [...ROLES].reverse().map(
  (role, precedence) =>
    new aws.cognito.UserGroup(`UserGroup${role}`, { userPoolId: userPool.id, name: role, precedence }),
);

/**
 * The API's app client: server-side password login (AdminInitiateAuth with
 * ADMIN_USER_PASSWORD_AUTH, see packages/core/src/auth/cognito.ts) and refresh. No secret, no
 * hosted UI / OAuth, no SRP; unknown users and wrong passwords fail alike.
 */
export const userPoolClient = new aws.cognito.UserPoolClient("UserPoolClient", {
  name: "api",
  userPoolId: userPool.id,
  generateSecret: false,
  explicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  preventUserExistenceErrors: "ENABLED",
  enableTokenRevocation: true,
  accessTokenValidity: 1,
  idTokenValidity: 1,
  refreshTokenValidity: 30,
  tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
});

const region = aws.getRegionOutput().region;

/** What the code reads as `Resource.Auth`. */
export const auth = new sst.Linkable("Auth", {
  properties: {
    userPoolId: userPool.id,
    clientId: userPoolClient.id,
    issuer: $interpolate`https://cognito-idp.${region}.amazonaws.com/${userPool.id}`,
  },
});

/** The Cognito admin calls the API makes, on this pool only. */
export const cognitoAdminActions = [
  "AdminCreateUser",
  "AdminSetUserPassword",
  "AdminAddUserToGroup",
  "AdminRemoveUserFromGroup",
  "AdminDeleteUser",
  "AdminGetUser",
  "AdminInitiateAuth",
  "AdminUpdateUserAttributes",
  "AdminUserGlobalSignOut",
  "AdminListGroupsForUser",
  "AdminDisableUser",
  "AdminEnableUser",
].map((action) => `cognito-idp:${action}`);
