import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";

/**
 * The scope that lets an access token call Cognito's own user APIs (GetUser, UpdateUserAttributes,
 * ChangePassword, DeleteUser, GlobalSignOut …) directly, bypassing this service's rules.
 */
export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/**
 * Cognito pre-token-generation trigger (event version V2_0): the access tokens the pool issues do
 * not carry ADMIN_SCOPE, so a user's token works against this service only. Nothing else about the
 * tokens changes. Needs the pool's Essentials (or Plus) feature plan — access-token customisation
 * is not in Lite — and no AWS permission (infra/auth.ts). Cognito-local does not run triggers:
 * unit-tested in pre-token-generation.test.ts.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  // Cognito sends `claimsAndScopeOverrideDetails: null`; the response is ours to set whole.
  event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToSuppress: [ADMIN_SCOPE] } } };
  return event;
};
