import { describe, expect, it } from "vitest";
import { sessionStart } from "../../packages/core/src/session/refresh.ts";
import { createApp } from "../../packages/functions/src/app.ts";
import { log, setLogDestination } from "../../packages/functions/src/log.ts";
import { activeUser, apiKey, baseUrl, bearer, rest } from "../helpers.ts";
import { THROTTLED, failing, type Fault } from "../support/aws-faults.ts";
import { claims, login, meStatus, pastRevocationSecond, trpcCall } from "./helpers.ts";

const refresh = (refreshToken: string) => rest("/auth/refresh", { method: "POST", body: { refreshToken } });
const logout = (token: string) => rest("/public/user/me/logout", { method: "POST", headers: bearer(token) });

describe("refresh: POST /auth/refresh", () => {
  it("returns new access and id tokens that work, for the same user", async () => {
    const { user, tokens } = await activeUser();
    const res = await refresh(tokens.refreshToken);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accessToken: expect.any(String), idToken: expect.any(String), expiresIn: expect.any(Number), tokenType: "Bearer" });
    expect(claims(res.json.accessToken).sub).toBe(user.id);
    expect(await meStatus(res.json.accessToken)).toBe(200);
    expect(await meStatus(res.json.idToken)).toBe(200);
    const verified = await rest(`/auth/token/id/verify/${res.json.idToken}`);
    expect(verified.json).toMatchObject({ valid: true, sub: user.id, tokenType: "id" });
  });

  it("works over tRPC", async () => {
    const { tokens } = await activeUser();
    const res = await trpcCall(baseUrl(), "session.refresh", { refreshToken: tokens.refreshToken }, { "x-api-key": apiKey() });
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
    for (const body of [{}, { refreshToken: "" }, { refreshToken: "x".repeat(9000) }, { refreshToken: 42 }, { refreshToken: "x", extra: 1 }])
      expect((await rest("/auth/refresh", { method: "POST", body })).status, JSON.stringify(body).slice(0, 40)).toBe(400);
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
    expect(await meStatus(tokens.idToken)).toBe(401);
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

  it("works over tRPC with an id token, and a logged-out token cannot log out again", async () => {
    const { tokens } = await activeUser();
    const res = await trpcCall(baseUrl(), "session.logout", undefined, bearer(tokens.idToken));
    expect(res.status).toBe(200);
    expect(res.data.loggedOut).toBe(true);
    expect((await logout(tokens.accessToken)).status).toBe(401);
  });
});

describe("logout when Cognito's global sign-out is missing or failing (in-process)", () => {
  const logoutInProcess = async (token: string, fault: Fault) => {
    const lines: string[] = [];
    const level = log.level;
    log.level = "info";
    const restore = setLogDestination({ write: (line) => lines.push(line) });
    const spy = failing("cognito", "AdminUserGlobalSignOut", fault);
    try {
      const res = await createApp().request("/public/user/me/logout", { method: "POST", headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, lines };
    } finally {
      spy.restore();
      restore();
      log.level = level;
    }
  };

  it("an unsupported operation is not fatal: 200, one log line, and the tokens are refused", async () => {
    const { user, tokens } = await activeUser();
    const res = await logoutInProcess(tokens.accessToken, { error: "CognitoLocal#Unsupported", message: "Cognito Local unsupported feature" });
    expect(res.status).toBe(200);
    const notes = res.lines.map((l) => JSON.parse(l)).filter((l) => /global sign-out is not supported/.test(l.msg));
    expect(notes).toEqual([expect.objectContaining({ procedure: "session.logout", userId: user.id })]);
    expect(await meStatus(tokens.accessToken)).toBe(401);
  });

  it("any other failure is reported (429 for throttling), and the service's own revocation has already happened", async () => {
    const { tokens } = await activeUser();
    const res = await logoutInProcess(tokens.accessToken, THROTTLED.cognito);
    expect(res.status).toBe(429);
    expect(await meStatus(tokens.accessToken)).toBe(401);
  });
});

describe("the session-start rule", () => {
  const jwt = (payload: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

  it("takes the earliest of the access token's auth_time and a readable refresh token's iat", () => {
    expect(sessionStart(jwt({ iat: 100 }), jwt({ auth_time: 500 }))).toBe(100); // cognito-local: auth_time is "now"
    expect(sessionStart("opaque.jwe.token.from.aws", jwt({ auth_time: 100 }))).toBe(100); // AWS: refresh token unreadable
    expect(sessionStart("opaque", "unreadable")).toBe(0); // nothing known: refused by any revocation
  });
});
