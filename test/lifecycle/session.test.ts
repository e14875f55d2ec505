import { AdminGetUserCommand, AdminInitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { Config, Session } from "@iam/core";
import { cognito } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { activeUser, apiKey, bearer, rest } from "../helpers.ts";
import { resigned } from "../security/cognito-local-jwt.ts";
import { THROTTLED, failing } from "../support/aws-faults.ts";
import { claims, login, meStatus, pastRevocationSecond } from "./helpers.ts";
import { viaTrpc } from "../support/trpc.ts";

const refresh = (refreshToken: string) => rest("/auth/refresh", { method: "POST", body: { refreshToken } });
const logout = (token: string) => rest("/public/user/me/logout", { method: "POST", headers: bearer(token) });

describe("refresh: POST /auth/refresh", () => {
  it("returns new access and id tokens that work, for the same user", async () => {
    const { user, tokens } = await activeUser();
    const res = await refresh(tokens.refreshToken);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: "Bearer",
    });
    expect(claims(res.json.accessToken).sub).toBe(user.id);
    expect(await meStatus(res.json.accessToken)).toBe(200);
    const verified = await rest(`/auth/token/id/verify/${res.json.idToken}`);
    expect(verified.json).toMatchObject({ valid: true, sub: user.id, tokenType: "id" });
  });

  it("works over tRPC", async () => {
    const { tokens } = await activeUser();
    const res = await viaTrpc("session.refresh", { refreshToken: tokens.refreshToken }, { "x-api-key": apiKey() });
    expect(res.status).toBe(200);
    expect(await meStatus(res.data.accessToken)).toBe(200);
  });

  it("refuses a suspended user's refresh token, also after reinstatement, and a deleted user's", async () => {
    const suspended = await activeUser();
    expect((await rest(`/user/${suspended.user.id}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(200);
    expect((await refresh(suspended.tokens.refreshToken)).status).toBe(401);
    expect((await rest(`/user/${suspended.user.id}/status/CONFIRMED`, { method: "PATCH" })).status).toBe(200);
    expect((await refresh(suspended.tokens.refreshToken)).status).toBe(401);

    const deleted = await activeUser();
    expect((await rest(`/user/${deleted.user.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    expect((await refresh(deleted.tokens.refreshToken)).status).toBe(401);
  });

  it("refuses what is not a refresh token with 401, and a malformed request with 400", async () => {
    const { tokens } = await activeUser();
    for (const token of ["garbage", tokens.accessToken, tokens.idToken]) {
      const res = await refresh(token);
      expect(res.status, token.slice(0, 12)).toBe(401);
      expect(res.json.message).toBe("Invalid or expired refresh token");
    }
    for (const body of [
      {},
      { refreshToken: "" },
      { refreshToken: "x".repeat(9000) },
      { refreshToken: 42 },
      { refreshToken: "x", extra: 1 },
    ])
      expect((await rest("/auth/refresh", { method: "POST", body })).status, JSON.stringify(body).slice(0, 40)).toBe(
        400,
      );
  });
});

describe("logout: POST /public/user/me/logout", () => {
  it("refuses the old access and id tokens and the refresh token afterwards; a new login works", async () => {
    const { body, tokens } = await activeUser();
    const refreshed = await refresh(tokens.refreshToken);
    expect(refreshed.status).toBe(200);

    const res = await logout(tokens.accessToken);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ loggedOut: true, tokensValidAfter: expect.any(String) });

    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await rest(`/auth/token/id/verify/${tokens.idToken}`)).status).toBe(401);
    expect(await meStatus(refreshed.json.accessToken)).toBe(401);
    expect((await rest(`/auth/token/access/verify/${tokens.accessToken}`)).status).toBe(401);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);

    // Even a little later (new tokens from a refresh would carry a fresh iat): still refused.
    await pastRevocationSecond();
    expect((await refresh(tokens.refreshToken)).status).toBe(401);

    const again = await login(body.email, body.password);
    expect(again.status).toBe(200);
    expect(await meStatus(again.json.accessToken)).toBe(200);
    const next = await refresh(again.json.refreshToken);
    expect(next.status).toBe(200);
    expect(await meStatus(next.json.accessToken)).toBe(200);
  });

  it("works over tRPC, and a logged-out token cannot log out again", async () => {
    const { tokens } = await activeUser();
    const res = await viaTrpc("session.logout", undefined, bearer(tokens.accessToken));
    expect(res.status).toBe(200);
    expect(res.data.loggedOut).toBe(true);
    expect((await logout(tokens.accessToken)).status).toBe(401);
  });
});

describe("logout when Cognito's global sign-out fails (in-process)", () => {
  it("the failure is reported (429 for throttling), and the service's own revocation has already happened", async () => {
    const { tokens } = await activeUser();
    const spy = failing("cognito", "AdminUserGlobalSignOut", THROTTLED.cognito);
    try {
      const res = await createApp().request("/public/user/me/logout", {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(res.status).toBe(429);
    } finally {
      spy.restore();
    }
    expect(await meStatus(tokens.accessToken)).toBe(401);
  });
});

describe("the session-start rule", () => {
  const jwt = (payload: Record<string, unknown>) =>
    `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

  it("takes the earliest of the access token's auth_time and a readable refresh token's iat", () => {
    expect(Session.sessionStart(jwt({ iat: 100 }), jwt({ auth_time: 500 }))).toBe(100); // a refresh that reset auth_time (unpatched cognito-local did)
    expect(Session.sessionStart("opaque.jwe.token.from.aws", jwt({ auth_time: 100 }))).toBe(100); // AWS: refresh token unreadable
    expect(Session.sessionStart("opaque", "unreadable")).toBe(0); // nothing known: refused by any revocation
  });
});

/** Waits until early in a second, so that a revocation and a login right after it fall in the same second. */
const earlyInASecond = async () => {
  while (Date.now() % 1000 > 100) await new Promise((r) => setTimeout(r, 5));
};

type Active = Awaited<ReturnType<typeof activeUser>>;

describe("a login right after a revocation", () => {
  /** Each revocation, and the password to sign in with afterwards. */
  const revocations: [string, (u: Active) => Promise<string>][] = [
    [
      "logout",
      async ({ body, tokens }) => {
        expect((await logout(tokens.accessToken)).status).toBe(200);
        return body.password;
      },
    ],
    [
      "password reset",
      async ({ body }) => {
        const { json } = await rest("/auth/password/forgot", { method: "POST", body: { email: body.email } });
        expect(
          (
            await rest("/auth/password/reset", {
              method: "POST",
              body: { code: json.resetCode, newPassword: "Reset-at-once-42" },
            })
          ).status,
        ).toBe(200);
        return "Reset-at-once-42";
      },
    ],
    [
      "role change",
      async ({ body, user }) => {
        expect((await rest(`/user/${user.id}/role/MODERATOR`, { method: "PATCH" })).status).toBe(200);
        return body.password;
      },
    ],
    [
      "suspension and reinstatement",
      async ({ body, user }) => {
        expect((await rest(`/user/${user.id}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(200);
        expect((await rest(`/user/${user.id}/status/CONFIRMED`, { method: "PATCH" })).status).toBe(200);
        return body.password;
      },
    ],
  ];

  it("gets tokens that work at once, with a refresh token that works (in the revocation's own second)", async () => {
    for (const [why, revoke] of revocations) {
      const active = await activeUser();
      await earlyInASecond();
      const password = await revoke(active);
      const res = await login(active.body.email, password);
      expect(res.status, why).toBe(200);
      expect(await meStatus(res.json.accessToken), why).toBe(200);
      const refreshed = await refresh(res.json.refreshToken);
      expect(refreshed.status, why).toBe(200);
      expect(await meStatus(refreshed.json.accessToken), why).toBe(200);
      // And what was issued before the revocation stays refused.
      expect(await meStatus(active.tokens.accessToken), why).toBe(401);
    }
  });
});

describe("one liveness rule for every bearer route, the verify route and refresh", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("judges a token by when its session began (auth_time), not by its iat", async () => {
    const { tokens } = await activeUser();
    expect((await logout(tokens.accessToken)).status).toBe(200);
    await pastRevocationSecond();
    // What refreshing at Cognito after the revocation yields: a fresh iat, the original auth_time.
    const refreshedElsewhere = resigned(tokens.accessToken, { iat: now(), exp: now() + 3600 });
    expect(claims(refreshedElsewhere).auth_time).toBe(claims(tokens.accessToken).auth_time);
    expect(await meStatus(refreshedElsewhere)).toBe(401);
    expect((await rest(`/auth/token/access/verify/${refreshedElsewhere}`)).status).toBe(401);
    const idRefreshedElsewhere = resigned(tokens.idToken, { iat: now(), exp: now() + 3600 });
    expect((await rest(`/auth/token/id/verify/${idRefreshedElsewhere}`)).status).toBe(401);
    // Control: the same token for a session begun after the revocation is accepted.
    expect(await meStatus(resigned(tokens.accessToken, { iat: now(), auth_time: now(), exp: now() + 3600 }))).toBe(200);
  });

  it("refuses a user who is no longer CONFIRMED on every route, refresh included", async () => {
    const { user, tokens } = await activeUser();
    expect((await rest(`/user/${user.id}/status/UNCONFIRMED`, { method: "PATCH" })).status).toBe(200);
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await rest(`/auth/token/access/verify/${tokens.accessToken}`)).status).toBe(401);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
  });

  it("suspension ends the session at Cognito too (global sign-out, the user stays enabled): its refresh token fails there, also after reinstatement", async () => {
    const { body, user, tokens } = await activeUser();
    const atCognito = () =>
      cognito().send(
        new AdminInitiateAuthCommand({
          UserPoolId: Config.auth.userPoolId,
          ClientId: Config.auth.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
        }),
      );
    expect((await atCognito()).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect((await rest(`/user/${user.id}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(200);
    await expect(atCognito()).rejects.toMatchObject({ name: "NotAuthorizedException" });
    // Not disabled at Cognito: the right password is still told apart (403), as the SPEC requires.
    const pooled = await cognito().send(
      new AdminGetUserCommand({ UserPoolId: Config.auth.userPoolId, Username: user.id }),
    );
    expect(pooled.Enabled).toBe(true);
    expect((await login(body.email, body.password)).status).toBe(403);
    expect((await login(body.email, "Not-the-password-1")).status).toBe(401);

    expect((await rest(`/user/${user.id}/status/CONFIRMED`, { method: "PATCH" })).status).toBe(200);
    await expect(atCognito()).rejects.toMatchObject({ name: "NotAuthorizedException" });
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
  });
});
