import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ADMIN_SCOPE, handler } from "./pre-token-generation.ts";

/**
 * A V2 pre-token-generation event as Cognito sends it for a password sign-in through the API's
 * app client (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH): shape from the AWS developer guide,
 * "Pre token generation Lambda trigger", V2_0 request; `claimsAndScopeOverrideDetails` arrives null.
 */
const event = (triggerSource: PreTokenGenerationV2TriggerEvent["triggerSource"]) =>
  JSON.parse(
    JSON.stringify({
      version: "2",
      triggerSource,
      region: "eu-west-1",
      userPoolId: "eu-west-1_AbCdEf123",
      userName: "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
      callerContext: { awsSdkVersion: "aws-sdk-js-3.1000.0", clientId: "1example23456789" },
      request: {
        userAttributes: {
          sub: "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
          "cognito:user_status": "CONFIRMED",
          email_verified: "true",
          email: "ada@example.com",
        },
        groupConfiguration: { groupsToOverride: ["USER"], iamRolesToOverride: [], preferredRole: null },
        scopes: [ADMIN_SCOPE],
      },
      response: { claimsAndScopeOverrideDetails: null },
    }),
  ) as PreTokenGenerationV2TriggerEvent;

const SOURCES: PreTokenGenerationV2TriggerEvent["triggerSource"][] = [
  "TokenGeneration_Authentication",
  "TokenGeneration_RefreshTokens",
  "TokenGeneration_NewPasswordChallenge",
  "TokenGeneration_AuthenticateDevice",
  "TokenGeneration_HostedAuth",
];

describe("pre-token-generation trigger (V2)", () => {
  it("suppresses aws.cognito.signin.user.admin in the access token, for every kind of token issuance", async () => {
    expect(ADMIN_SCOPE).toBe("aws.cognito.signin.user.admin");
    for (const source of SOURCES) {
      const result = await handler(event(source));
      expect(result.response.claimsAndScopeOverrideDetails, source).toEqual({
        accessTokenGeneration: { scopesToSuppress: ["aws.cognito.signin.user.admin"] },
      });
    }
  });

  it("changes nothing else: the claims, groups and id token the service reads stay as Cognito made them", async () => {
    const input = event("TokenGeneration_Authentication");
    const { response, ...rest } = await handler(structuredClone(input));
    const { response: _ignored, ...expected } = input;
    expect(rest).toEqual(expected);
    const details = response.claimsAndScopeOverrideDetails;
    expect(details.idTokenGeneration).toBeUndefined();
    expect(details.groupOverrideDetails).toBeUndefined();
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toBeUndefined();
    expect(details.accessTokenGeneration?.claimsToSuppress).toBeUndefined();
    expect(details.accessTokenGeneration?.scopesToAdd).toBeUndefined();
  });
});
