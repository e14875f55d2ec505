import { describe, expect, it } from "vitest";
import { activeUser, apiKey, baseUrl, bearer, newUser, registered, rest } from "../helpers.ts";

/**
 * Security headers over HTTP (issue 14 item 5): `nosniff`, `Referrer-Policy` and no framing on
 * every response; a CSP on /docs that lets scripts come from the service itself only; `no-store`
 * on every answer that carries a token, a code or a key (and on their errors); Swagger UI keeps
 * no authorization in the browser. test/docs.browser.test.ts proves /docs still works under its CSP.
 */
const raw = (path: string, init: RequestInit = {}) => fetch(`${baseUrl()}${path}`, init);

/** A CSP header as directive → sources. */
const csp = (header: string | null): Map<string, string[]> =>
  new Map(
    (header ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name = "", ...sources]) => [name.toLowerCase(), sources]),
  );

const expectHardened = (res: Response, where: string) => {
  expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), where).toBe("no-referrer");
  expect(res.headers.get("x-frame-options"), where).toBe("DENY");
  expect(csp(res.headers.get("content-security-policy")).get("frame-ancestors"), where).toEqual(["'none'"]);
};

describe("on every response", () => {
  it("nosniff, Referrer-Policy, no framing (X-Frame-Options DENY, frame-ancestors 'none')", async () => {
    const { user } = await registered();
    const key = { "x-api-key": apiKey() };
    const requests: [string, RequestInit][] = [
      [`/user/${user.id}`, { headers: key }],
      [`/user/${crypto.randomUUID()}`, { headers: key }],
      ["/user/not-a-uuid", { headers: key }],
      ["/public/user/me", {}],
      ["/no/such/route", {}],
      ["/auth/login", { method: "DELETE" }],
      ["/user", { method: "POST", headers: { ...key, "content-type": "text/plain" }, body: "x" }],
      [`/trpc/user.byId?input=${encodeURIComponent(JSON.stringify({ id: user.id }))}`, { headers: key }],
      ["/trpc/nothing", {}],
      ["/health", {}],
      ["/openapi.json", {}],
      ["/docs", {}],
      ["/docs/init.js", {}],
      ["/docs/assets/swagger-ui-bundle.js", {}],
      ["/docs/assets/nothing.css", {}],
    ];
    for (const [path, init] of requests) {
      const res = await raw(path, init);
      await res.arrayBuffer();
      expectHardened(res, `${init.method ?? "GET"} ${path} → ${res.status}`);
    }
  });

  it("API answers load nothing: their CSP is default-src 'none'", async () => {
    const res = await raw("/openapi.json");
    expect(csp(res.headers.get("content-security-policy")).get("default-src")).toEqual(["'none'"]);
  });
});

describe("/docs", () => {
  it("has a CSP: scripts from the service only, Swagger UI's inline styles and data: icons, nothing else", async () => {
    const res = await raw("/docs");
    expect(res.status).toBe(200);
    expectHardened(res, "/docs");
    const policy = csp(res.headers.get("content-security-policy"));
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'none'"]);
    const allowed = new Set([
      "default-src",
      "script-src",
      "style-src",
      "img-src",
      "connect-src",
      "frame-ancestors",
      "base-uri",
      "form-action",
    ]);
    expect([...policy.keys()].filter((d) => !allowed.has(d))).toEqual([]);
    for (const sources of policy.values())
      expect(sources.filter((s) => !["'self'", "'none'", "'unsafe-inline'", "data:"].includes(s))).toEqual([]);
  });

  it("does not keep entered credentials (persistAuthorization: false)", async () => {
    const init = await (await raw("/docs/init.js")).text();
    expect(init).toMatch(/persistAuthorization:\s*false/);
  });
});

describe("Cache-Control: no-store", () => {
  it("on every answer that hands out a token, a code or a key, and on their errors", async () => {
    const { body, tokens } = await activeUser();
    const fresh = newUser();
    const key = await rest("/admin/keys", { method: "POST", body: { name: "headers", scopes: ["read"] } });
    const answers: [string, Awaited<ReturnType<typeof rest>>][] = [
      ["register", await rest("/user", { method: "POST", body: fresh })],
      ["register, invalid", await rest("/user", { method: "POST", body: { ...fresh, email: "a@b" } })],
      ["register, taken", await rest("/user", { method: "POST", body: fresh })],
      ["login", await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } })],
      [
        "login, wrong password",
        await rest("/auth/login", { method: "POST", body: { email: body.email, password: "Wrong-Horse-99" } }),
      ],
      [
        "login, no key",
        await rest("/auth/login", {
          method: "POST",
          body: { email: body.email, password: body.password },
          headers: { "x-api-key": "" },
        }),
      ],
      ["refresh", await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } })],
      ["refresh, bad token", await rest("/auth/refresh", { method: "POST", body: { refreshToken: "not-a-token" } })],
      ["forgot", await rest("/auth/password/forgot", { method: "POST", body: { email: body.email } })],
      ["forgot, invalid", await rest("/auth/password/forgot", { method: "POST", body: { email: "nope" } })],
      ["create key", key],
      ["rotate key", await rest(`/admin/keys/${key.json.keyId}/rotate`, { method: "POST", body: {} })],
      ["rotate key, unknown", await rest(`/admin/keys/${"q".repeat(16)}/rotate`, { method: "POST", body: {} })],
      ["me", await rest("/public/user/me", { headers: bearer(tokens.accessToken) })],
    ];
    expect(answers.map(([, r]) => r.status)).toEqual([
      201, 400, 409, 200, 401, 401, 200, 401, 200, 400, 200, 200, 404, 200,
    ]);
    for (const [what, res] of answers) expect(res.headers.get("cache-control"), what).toBe("no-store");
    // The same over tRPC.
    const trpcLogin = await raw("/trpc/auth.login", {
      method: "POST",
      headers: { "x-api-key": apiKey(), "content-type": "application/json" },
      body: JSON.stringify({ email: body.email, password: body.password }),
    });
    expect(trpcLogin.status).toBe(200);
    expect(trpcLogin.headers.get("cache-control")).toBe("no-store");
  });

  it("leaves the static assets of /docs cacheable", async () => {
    const res = await raw("/docs/assets/swagger-ui.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
  });
});
