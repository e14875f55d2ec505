import { createPublicKey } from "node:crypto";
import type {
  AdminInitiateAuthRequest,
  AdminInitiateAuthResponse,
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse,
  InitiateAuthRequest,
  InitiateAuthResponse,
} from "aws-sdk/clients/cognitoidentityserviceprovider";
import { InvalidParameterError, NotAuthorizedError, UserNotFoundError } from "cognito-local/lib/errors.js";
import privateKey from "cognito-local/lib/keys/cognitoLocal.private.json" with { type: "json" };
import type { Services } from "cognito-local/lib/services/index.js";
import type { Context } from "cognito-local/lib/services/context.js";
import { AdminInitiateAuth } from "cognito-local/lib/targets/adminInitiateAuth.js";
import { InitiateAuth } from "cognito-local/lib/targets/initiateAuth.js";
import type { Target } from "cognito-local/lib/targets/Target.js";
import jwt from "jsonwebtoken";

/**
 * Where cognito-local differs from AWS in ways the service's session rules depend on, these
 * targets behave as AWS does:
 * - a refresh keeps the session's `auth_time` (the original sign-in), where cognito-local sets "now";
 * - `AdminUserGlobalSignOut` revokes the user's refresh tokens (cognito-local: unsupported);
 * - a disabled user can neither refresh nor sign in: NotAuthorizedException "User is disabled."
 *   (cognito-local lets both through). AWS says so before it checks the password.
 * Everything else is cognito-local's own code.
 */
const publicKey = createPublicKey(privateKey.pem);

/** The refresh token's `iat`: cognito-local mints it at sign-in and never re-issues it on refresh. */
const sessionStart = (refreshToken: string): number => {
  try {
    const claims = jwt.verify(refreshToken, publicKey, { algorithms: ["RS256"] });
    if (typeof claims === "object" && typeof claims.iat === "number") return claims.iat;
  } catch (e) {
    if (e instanceof jwt.TokenExpiredError) throw new NotAuthorizedError("Refresh Token has expired");
  }
  throw new NotAuthorizedError("Invalid Refresh Token");
};

/** The same token (same claims, `iat` and `exp`), with `auth_time` set to the session's start. */
const withAuthTime = (token: string, authTime: number): string => {
  const claims = jwt.decode(token);
  if (claims === null || typeof claims === "string") throw new Error("cognito-local minted an unreadable token");
  return jwt.sign({ ...claims, auth_time: authTime }, privateKey.pem, { algorithm: "RS256", keyid: "CognitoLocal" });
};

type RefreshServices = Pick<Services, "cognito" | "tokenGenerator">;
type RefreshRequest = {
  ClientId: string;
  AuthParameters?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
};

const refresh = async ({ cognito, tokenGenerator }: RefreshServices, ctx: Context, req: RefreshRequest) => {
  const refreshToken = req.AuthParameters?.REFRESH_TOKEN;
  if (!refreshToken) throw new InvalidParameterError("AuthParameters REFRESH_TOKEN is required");
  const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
  const client = await cognito.getAppClient(ctx, req.ClientId);
  if (!client) throw new NotAuthorizedError();
  const authTime = sessionStart(refreshToken);
  // Revoked tokens (global sign-out, RevokeToken) are no longer in the user's list.
  const user = await userPool.getUserByRefreshToken(ctx, refreshToken);
  if (!user) throw new NotAuthorizedError("Invalid Refresh Token");
  if (user.Enabled === false) throw new NotAuthorizedError("User is disabled.");
  const groups = await userPool.listUserGroupMembership(ctx, user);
  const tokens = await tokenGenerator.generate(ctx, user, groups, client, req.ClientMetadata, "RefreshTokens");
  return {
    AuthenticationResult: {
      AccessToken: withAuthTime(tokens.AccessToken, authTime),
      IdToken: withAuthTime(tokens.IdToken, authTime),
    },
  };
};

/** Refuses a disabled user before the password is checked, then hands over to cognito-local. */
const refuseDisabled = async (
  { cognito }: RefreshServices,
  ctx: Context,
  clientId: string,
  username: string | undefined,
) => {
  if (!username) return;
  const userPool = await cognito.getUserPoolForClientId(ctx, clientId);
  const user = await userPool.getUserByUsername(ctx, username);
  if (user?.Enabled === false) throw new NotAuthorizedError("User is disabled.");
};

const isRefresh = (flow: string) => flow === "REFRESH_TOKEN_AUTH" || flow === "REFRESH_TOKEN";

export const targets = {
  AdminInitiateAuth:
    (services: Services): Target<AdminInitiateAuthRequest, AdminInitiateAuthResponse> =>
    async (ctx, req) => {
      if (isRefresh(req.AuthFlow)) return refresh(services, ctx, req);
      if (req.AuthFlow === "ADMIN_USER_PASSWORD_AUTH")
        await refuseDisabled(services, ctx, req.ClientId, req.AuthParameters?.USERNAME);
      return AdminInitiateAuth(services)(ctx, req);
    },

  InitiateAuth:
    (services: Services): Target<InitiateAuthRequest, InitiateAuthResponse> =>
    async (ctx, req) => {
      if (isRefresh(req.AuthFlow)) return refresh(services, ctx, req);
      if (req.AuthFlow === "USER_PASSWORD_AUTH")
        await refuseDisabled(services, ctx, req.ClientId, req.AuthParameters?.USERNAME);
      return InitiateAuth(services)(ctx, req);
    },

  AdminUserGlobalSignOut:
    ({ cognito }: Services): Target<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse> =>
    async (ctx, req) => {
      const userPool = await cognito.getUserPool(ctx, req.UserPoolId);
      const user = await userPool.getUserByUsername(ctx, req.Username);
      if (!user) throw new UserNotFoundError("User does not exist.");
      // Emptied in place: a sign-in running at the same moment holds this same array, so it adds
      // its new token to the emptied list instead of writing the old ones back.
      const tokens = Array.isArray(user.RefreshTokens) ? user.RefreshTokens : [];
      tokens.splice(0);
      await userPool.saveUser(ctx, { ...user, RefreshTokens: tokens });
      return {};
    },
} satisfies Record<string, (services: Services) => Target<never, object>>;
