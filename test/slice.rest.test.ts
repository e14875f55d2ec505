import { describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { apiKey, baseUrl, newUser, rest } from "./helpers.ts";

/** The first vertical slice over REST: register → activate → login → me, and GET /user/{id}. */
describe("REST: register, activate, login, me, user by id", () => {
  it("registers a user with the documented shape and an activation code, never the password", async () => {
    const body = newUser({
      name: "cortney_gutkowski67",
      email: `Cortney.${Date.now()}@Example.com`,
      sourceSystem: "customer-website",
    });
    const res = await rest("/user", { method: "POST", body });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      name: "cortney_gutkowski67",
      handle: "@CortneyGutkowski67",
      email: body.email.toLowerCase(),
      role: "USER",
      status: "UNCONFIRMED",
      sourceSystem: "customer-website",
      lastLoginAt: null,
      profile: { profileData: { lang: "en-US", avatarUrl: "", currency: "USD" }, data: {} },
    });
    expect(res.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.activationCode).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(res.json.profile.badges).toEqual([
      { name: "NEW_MEMBER", iconUrl: expect.stringMatching(/\/badges\/NEW_MEMBER\.svg$/) },
    ]);
    expect(JSON.stringify(res.json)).not.toContain(body.password);

    const icon = await fetch(res.json.profile.badges[0].iconUrl);
    expect(icon.status).toBe(200);
    expect(await icon.text()).toContain("<svg");
  });

  it("logs in an activated user, sets lastLoginAt, and serves /public/user/me with the token", async () => {
    const body = newUser();
    const reg = await rest("/user", { method: "POST", body });
    expect((await rest(`/user/activate/${reg.json.activationCode}`)).json.status).toBe("CONFIRMED");

    const login = await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ tokenType: "Bearer", expiresIn: expect.any(Number) });
    for (const t of ["accessToken", "idToken", "refreshToken"]) expect(login.json[t]).toMatch(/^ey/);

    const me = await rest("/public/user/me", {
      headers: { authorization: `Bearer ${login.json.accessToken}`, "x-api-key": "" },
    });
    expect(me.status).toBe(200);
    expect(me.json.id).toBe(reg.json.id);
    expect(me.json.lastLoginAt).toEqual(expect.any(String));
    expect(me.json).not.toHaveProperty("activationCode");
    // Access tokens only: the id token is for the verify route.
    expect(
      (await rest("/public/user/me", { headers: { authorization: `Bearer ${login.json.idToken}`, "x-api-key": "" } }))
        .status,
    ).toBe(401);

    const byId = await rest(`/user/${reg.json.id}`);
    expect(byId.status).toBe(200);
    // The API key's read of the user is what the user sees of itself after signing in (lastLoginAt included).
    expect(byId.json).toEqual(me.json);
    expect(byId.json.email).toBe(body.email);
    expect(byId.json).not.toHaveProperty("activationCode");
    expect(byId.json).not.toHaveProperty("sourceIp");
  });

  it("refuses registration input it cannot accept with 400, and creates nothing", async () => {
    const good = newUser();
    const bad: [string, unknown][] = [
      ["missing email", { ...good, email: undefined }],
      ["malformed email", { ...good, email: "not-an-email" }],
      ["weak password", { ...good, password: "short" }],
      ["password of 11 characters", { ...good, password: "Eleven-char" }],
      ["common password", { ...good, password: "qwerty123456" }],
      ["name with spaces", { ...good, name: "has spaces" }],
      ["name too long", { ...good, name: "x".repeat(40) }],
      ["role set by caller", { ...good, role: "ADMIN" }],
      ["status set by caller", { ...good, status: "CONFIRMED" }],
      ["bad currency", { ...good, currency: "dollars" }],
      ["three letters that are no ISO 4217 currency", { ...good, currency: "XYZ" }],
      ["array body", [good]],
    ];
    for (const [why, body] of bad) {
      const res = await rest("/user", { method: "POST", body });
      expect(res.status, why).toBe(400);
      expect(res.json, why).toMatchObject({ code: "BAD_REQUEST", message: expect.any(String) });
    }
    const malformed = await rest("/user", {
      method: "POST",
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    // Nothing was created: the same e-mail registers fine afterwards.
    expect((await rest("/user", { method: "POST", body: good })).status).toBe(201);
  });

  it("answers 409 naming the field for a taken email, name or handle (any case)", async () => {
    const first = newUser();
    expect((await rest("/user", { method: "POST", body: first })).status).toBe(201);
    const cases: [string, Record<string, unknown>][] = [
      ["email", { email: first.email.toUpperCase() }],
      ["name", { name: first.name.toUpperCase() }],
      ["handle", { name: first.name.replace("_", ".") }],
    ];
    for (const [field, change] of cases) {
      const res = await rest("/user", { method: "POST", body: { ...newUser(), ...change } });
      expect(res.status, field).toBe(409);
      expect(res.json.code).toBe("CONFLICT");
      expect(res.json.message).toContain(field);
    }
  });

  it("gives the same 401 for a wrong password and an unknown email, and 403 for an unactivated account", async () => {
    const body = newUser();
    await rest("/user", { method: "POST", body });
    const unactivated = await rest("/auth/login", {
      method: "POST",
      body: { email: body.email, password: body.password },
    });
    expect(unactivated.status).toBe(403);
    expect(unactivated.json.message).toMatch(/not activated/i);

    const wrong = await rest("/auth/login", {
      method: "POST",
      body: { email: body.email, password: "Wrong-password1" },
    });
    const unknown = await rest("/auth/login", {
      method: "POST",
      body: { email: `nobody.${Date.now()}@example.com`, password: "Wrong-password1" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);

    expect((await rest("/auth/login", { method: "POST", body: { email: body.email } })).status).toBe(400);
  });

  it("requires a valid API key for S2S routes and a valid bearer token for /public/user/me", async () => {
    const noKey = await rest("/user", { method: "POST", body: newUser(), headers: { "x-api-key": "" } });
    expect(noKey.status).toBe(401);
    const wrongKey = await rest(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": "iam_wrong" } });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json.code).toBe("UNAUTHORIZED");

    for (const authorization of [
      undefined,
      "Bearer",
      "Bearer not.a.jwt",
      "Basic abc",
      "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
    ]) {
      const res = await rest("/public/user/me", { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
    }
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    expect((await rest(`/user/${crypto.randomUUID()}`)).status).toBe(404);
    const bad = await rest("/user/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.json.issues?.[0]?.path).toEqual(["id"]);
  });

  it("rejects request bodies over 1 MiB with 413 before parsing, with or without a content-length", async () => {
    // In-process (app.request): a socket client may see the connection close before it finishes sending.
    const app = createApp();
    const big = JSON.stringify({ pad: "x".repeat(1024 * 1024) });
    const withLength = await app.request("/user", {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json", "x-api-key": apiKey() },
    });
    expect(withLength.status).toBe(413);
    expect(await withLength.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(64 * 1024)));
        controller.close();
      },
    });
    const streamed = await app.request("/user", {
      method: "POST",
      body: chunks,
      duplex: "half",
      headers: { "content-type": "application/json", "x-api-key": apiKey() },
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("serves /health, /openapi.json with every slice route, and an offline /docs page", async () => {
    expect((await rest("/health")).json).toEqual({ status: "ok" });
    const doc = (await rest("/openapi.json")).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/user", "/auth/login", "/public/user/me", "/user/{id}"]),
    );
    expect(doc.paths["/public/user/me"].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/user"].post.security).toEqual([{ apiKey: [] }]);
    const docs = await fetch(`${baseUrl()}/docs`);
    const html = await docs.text();
    expect(html).toContain("swagger-ui");
    expect(html).not.toMatch(/https?:\/\//);
  });
});
