import { ROLES } from "../packages/core/src/dynamo/entities/user.ts";
import { PasswordPolicy } from "../packages/core/src/user/schema.ts";
import { isProduction } from "./stage.ts";

const production = isProduction($app.stage);

/**
 * Cognito pre-token-generation trigger (V2 events): strips `aws.cognito.signin.user.admin` from
 * access tokens, so a user's token cannot call Cognito's own user APIs (change the e-mail,
 * password or delete the account behind the service's back). It reads nothing and calls nothing:
 * no link, no permission. Cognito waits at most 5 s for a trigger.
 */
export const preTokenGeneration = new sst.aws.Function("PreTokenGeneration", {
  handler: "packages/functions/src/triggers/pre-token-generation.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "128 MB",
  timeout: "5 seconds",
  nodejs: { minify: true, sourcemap: true },
});

/**
 * Users sign in with their e-mail address. Only the API creates users (AdminCreateUser): Cognito's
 * public SignUp is closed, and the pool's password policy is the one the API validates. The
 * service owns recovery (its reset codes), so Cognito's ForgotPassword is off (`admin_only`). An
 * e-mail change through Cognito stays pending until the new address is verified; the service's
 * own change (AdminUpdateUserAttributes with `email_verified`) applies at once.
 *
 * The Essentials feature plan is what allows a V2 trigger to change access tokens (docs/DEPLOY.md).
 */
export const userPool = new sst.aws.CognitoUserPool("UserPool", {
  usernames: ["email"],
  triggers: { preTokenGeneration: preTokenGeneration.arn, preTokenGenerationVersion: "v2" },
  transform: {
    userPool: {
      userPoolTier: "ESSENTIALS",
      passwordPolicy: {
        minimumLength: PasswordPolicy.MinimumLength,
        requireLowercase: PasswordPolicy.RequireLowercase,
        requireUppercase: PasswordPolicy.RequireUppercase,
        requireNumbers: PasswordPolicy.RequireNumbers,
        requireSymbols: PasswordPolicy.RequireSymbols,
        temporaryPasswordValidityDays: 7,
      },
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
      // SST sets the same from `usernames`; stated here because the update setting depends on it.
      autoVerifiedAttributes: ["email"],
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
      deletionProtection: production ? "ACTIVE" : "INACTIVE",
    },
  },
});

/** One group per role; lower precedence wins when a user is in several (ADMIN first). */
export const userGroups = [...ROLES]
  .reverse()
  .map(
    (role, precedence) =>
      new aws.cognito.UserGroup(`UserGroup${role}`, { userPoolId: userPool.id, name: role, precedence }),
  );

/**
 * The API's app client: server-side password login (AdminInitiateAuth with
 * ADMIN_USER_PASSWORD_AUTH, see packages/core/src/adapters/cognito.ts) and refresh. No secret (the
 * refresh route sends no SECRET_HASH), no hosted UI / OAuth, no SRP or other USER_* flow; unknown
 * users and wrong passwords fail alike. With a user's own token, the client may write no
 * attribute that matters: `writeAttributes` lists one the service never reads, because an empty
 * list means "all" (hashicorp/terraform-provider-aws#28684).
 */
export const userPoolClient = new aws.cognito.UserPoolClient("UserPoolClient", {
  name: "api",
  userPoolId: userPool.id,
  generateSecret: false,
  explicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  preventUserExistenceErrors: "ENABLED",
  writeAttributes: ["zoneinfo"],
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
