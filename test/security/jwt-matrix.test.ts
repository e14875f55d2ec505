import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { cognito } from "@iam/core/testing";
import { activeUser, baseUrl, bearer, rest } from "../helpers.ts";
import { b64, parts, publicPem, rs256 } from "./cognito-local-jwt.ts";

/**
 * Forged and foreign tokens, signed with cognito-local's own key (./cognito-local-jwt.ts), so
 * only the claims a case changes differ. A re-signed copy of a real token is accepted (the
 * control), which shows the forgeries fail for the claim under test and not for a bad signature.
 */
let access: string;
let id: string;
let foreign: string;

beforeAll(async () => {
  const { tokens } = await activeUser();
  access = tokens.accessToken;
  id = tokens.idToken;
  // A real token from another user pool of the same Cognito (here: the same emulator).
  const pool = await cognito().send(
    new CreateUserPoolCommand({ PoolName: `other-${Date.now()}`, UsernameAttributes: ["email"] }),
  );
  const poolId = pool.UserPool?.Id ?? "";
  const client = await cognito().send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "other",
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    }),
  );
  const email = `foreign.${Date.now()}@example.com`;
  const created = await cognito().send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: "SUPPRESS" }),
  );
  const username = created.User?.Username ?? email;
  await cognito().send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: "Other-pool1",
      Permanent: true,
    }),
  );
  const auth = await cognito().send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.UserPoolClient?.ClientId ?? "",
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: "Other-pool1" },
    }),
  );
  foreign = auth.AuthenticationResult?.AccessToken ?? "";
});

const now = () => Math.floor(Date.now() / 1000);
const me = (token: string) => rest("/public/user/me", { headers: bearer(token) });
const verify = (type: string, token: string) => rest(`/auth/token/${type}/verify/${token}`);

describe("JWT matrix", () => {
  it("accepts a re-signed copy of a real token (control)", async () => {
    const { header, payload } = parts(access);
    expect((await me(rs256(header, payload))).status).toBe(200);
    expect((await verify("access", rs256(header, payload))).status).toBe(200);
  });

  const forgeries: [string, () => string][] = [
    ["alg none", () => `${b64({ alg: "none", typ: "JWT" })}.${b64(parts(access).payload)}.`],
    [
      "HS256 signed with the public key",
      () => {
        const input = `${b64({ ...parts(access).header, alg: "HS256" })}.${b64(parts(access).payload)}`;
        return `${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`;
      },
    ],
    [
      "tampered payload",
      () => {
        const [h, , s] = access.split(".");
        return `${h}.${b64({ ...parts(access).payload, sub: crypto.randomUUID() })}.${s}`;
      },
    ],
    [
      "wrong issuer",
      () => rs256(parts(access).header, { ...parts(access).payload, iss: "http://127.0.0.1:1/local_other" }),
    ],
    ["wrong client", () => rs256(parts(access).header, { ...parts(access).payload, client_id: "someoneelse" })],
    ["expired", () => rs256(parts(access).header, { ...parts(access).payload, iat: now() - 7200, exp: now() - 3600 })],
    ["nbf in the future", () => rs256(parts(access).header, { ...parts(access).payload, nbf: now() + 3600 })],
    ["unknown kid", () => rs256({ ...parts(access).header, kid: "not-in-the-jwks" }, parts(access).payload)],
    ["no token_use", () => rs256(parts(access).header, { ...parts(access).payload, token_use: undefined })],
    ["a token from another pool", () => foreign],
    [
      "the id token's header on an access payload with a wrong aud",
      () => rs256(parts(id).header, { ...parts(id).payload, aud: "someoneelse" }),
    ],
  ];

  for (const [why, forge] of forgeries) {
    it(`refuses ${why} with 401 at /public/user/me and the verify route`, async () => {
      const token = forge();
      const results = [await me(token), await verify("access", token), await verify("id", token)];
      for (const r of results) {
        expect(r.status, `${why}: ${JSON.stringify(r.json)}`).toBe(401);
        expect(JSON.stringify(r.json)).not.toMatch(/stack|at \/|node_modules/);
      }
    });
  }

  it("refuses an id token where an access token is required, and the reverse", async () => {
    expect((await verify("access", id)).status).toBe(401);
    expect((await verify("id", access)).status).toBe(401);
    expect((await verify("id", id)).status).toBe(200);
  });

  it("takes access tokens only on /public/*: an id token is a 401 there, on both transports", async () => {
    expect((await me(access)).status).toBe(200);
    const refused = await me(id);
    expect(refused.status).toBe(401);
    expect(
      (await rest("/public/user/me/profile", { method: "PATCH", body: { lang: "en" }, headers: bearer(id) })).status,
    ).toBe(401);
    const viaTrpc = await fetch(`${baseUrl()}/trpc/public.me`, { headers: { authorization: `Bearer ${id}` } });
    expect(viaTrpc.status).toBe(401);
  });
});
