import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { activeUser, apiKey, baseUrl, bearer, newUser, registered, rest } from "./helpers.ts";
import { failing, restoreAllFaults } from "./support/aws-faults.ts";

/**
 * HTTP semantics clients rely on (issue 15 item 5), over the shared server: `x-request-id` on
 * every response, 405 with `Allow` for a wrong method on a known path, `WWW-Authenticate` on every
 * 401, and 415 naming what to send for a body that is not JSON (media types compared
 * case-insensitively; the merge-patch type on the PATCH data route).
 */
afterEach(() => restoreAllFaults());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const raw = (path: string, init: RequestInit = {}) => fetch(`${baseUrl()}${path}`, init);

describe("x-request-id", () => {
  it("is on every response: REST, tRPC, errors of every kind, /health, /openapi.json, /docs", async () => {
    const { user } = await registered();
    const key = { "x-api-key": apiKey() };
    const requests: [string, RequestInit][] = [
      [`/user/${user.id}`, { headers: key }],
      ["/user/not-a-uuid", { headers: key }],
      [`/user/${user.id}`, {}],
      ["/public/user/me", {}],
      [`/user/${crypto.randomUUID()}`, { headers: key }],
      ["/no/such/route", {}],
      ["/auth/login", { method: "DELETE", headers: key }],
      ["/user", { method: "POST", headers: { ...key, "content-type": "text/plain" }, body: "x" }],
      ["/user", { method: "POST", headers: { ...key, "content-type": "application/json" }, body: "{oops" }],
      [
        "/user",
        { method: "POST", headers: { ...key, "content-type": "application/json" }, body: "x".repeat(1024 * 1024 + 1) },
      ],
      [`/trpc/user.byId?input=${encodeURIComponent(JSON.stringify({ id: user.id }))}`, { headers: key }],
      ["/trpc/user.byId?input=%7B%7D", { headers: key }],
      ["/trpc/no.such.procedure", { headers: key }],
      ["/trpc/user.register", { headers: key }],
      ["/health", {}],
      ["/health/ready", {}],
      ["/openapi.json", {}],
      ["/docs", {}],
      ["/docs/init.js", {}],
      ["/docs/assets/swagger-ui.css", {}],
      ["/docs/assets/nothing.js", {}],
      ["/health", { method: "POST" }],
      [`/user/${user.id}`, { method: "HEAD", headers: key }],
      [
        "/public/user/me",
        { method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "GET" } },
      ],
    ];
    const statuses = new Set<number>();
    for (const [path, init] of requests) {
      const sent = `sem-${crypto.randomUUID()}`;
      const withId = await raw(path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), "x-request-id": sent },
      });
      await withId.arrayBuffer();
      statuses.add(withId.status);
      expect(withId.headers.get("x-request-id"), `${init.method ?? "GET"} ${path} → ${withId.status}`).toBe(sent);
      const without = await raw(path, init);
      await without.arrayBuffer();
      expect(without.headers.get("x-request-id"), `${init.method ?? "GET"} ${path} → ${without.status}`).toMatch(UUID);
    }
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 204, 400, 401, 404, 405, 413, 415]));
  });

  it("is on an internal error's bare 500 too", async () => {
    const fault = failing("dynamodb", "GetItem", { error: "ValidationException", status: 400, message: "boom" });
    try {
      const res = await createApp().request(`/user/${crypto.randomUUID()}`, {
        headers: { "x-api-key": apiKey(), "x-request-id": "sem-500" },
      });
      expect(res.status).toBe(500);
      expect(res.headers.get("x-request-id")).toBe("sem-500");
    } finally {
      fault.restore();
    }
  });
});

describe("405 Method Not Allowed", () => {
  it("answers a wrong method on a known path with 405 and the methods the path takes", async () => {
    const id = crypto.randomUUID();
    const cases: [string, string, string][] = [
      ["DELETE", "/auth/login", "POST"],
      ["GET", "/auth/login", "POST"],
      ["PUT", `/user/${id}`, "GET, HEAD, DELETE"],
      ["POST", `/user/${id}`, "GET, HEAD, DELETE"],
      ["GET", `/user/${id}/data/update`, "PUT, PATCH"],
      ["DELETE", "/user/activate/AAAAAAAAAAAAAAAAAAAAA", "GET, HEAD"],
      ["PATCH", `/USER/${id}/`, "GET, HEAD, DELETE"],
      ["POST", "/health", "GET, HEAD"],
      ["DELETE", "/openapi.json", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await rest(path, { method, ...(["POST", "PUT", "PATCH"].includes(method) ? { body: {} } : {}) });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(res.json, `${method} ${path}`).toEqual({
        message: expect.stringContaining(allow.split(", ")[0] ?? ""),
        code: "METHOD_NOT_SUPPORTED",
      });
    }
    // An unknown path stays 404.
    expect((await rest("/no/such/route", { method: "DELETE" })).status).toBe(404);
  });

  it("tRPC: a query sent as POST, or a mutation as GET, is 405 with Allow", async () => {
    const mutationAsGet = await raw("/trpc/user.register", { headers: { "x-api-key": apiKey() } });
    expect(mutationAsGet.status).toBe(405);
    expect(mutationAsGet.headers.get("allow")).toBe("POST");
    const queryAsPost = await raw("/trpc/user.byId", {
      method: "POST",
      headers: { "x-api-key": apiKey(), "content-type": "application/json" },
      body: "{}",
    });
    expect(queryAsPost.status).toBe(405);
    expect(queryAsPost.headers.get("allow")).toBe("GET");
  });
});

describe("401 and WWW-Authenticate", () => {
  it("names the route's scheme: ApiKey on API-key routes, Bearer on bearer routes (invalid_token when one was sent)", async () => {
    const { tokens } = await activeUser();
    const id = crypto.randomUUID();
    const apiKeyChallenge = 'ApiKey header="x-api-key"';
    const cases: [string, { method?: string; body?: unknown; headers: Record<string, string> }, string][] = [
      [`/user/${id}`, { headers: { "x-api-key": "" } }, apiKeyChallenge],
      [`/user/${id}`, { headers: { "x-api-key": `iam_${"x".repeat(40)}` } }, apiKeyChallenge],
      [
        "/auth/login",
        { method: "POST", body: { email: "nobody@example.com", password: "Wrong-Horse-99" }, headers: {} },
        apiKeyChallenge,
      ],
      ["/auth/token/access/verify/not-a-jwt", { headers: {} }, apiKeyChallenge],
      ["/public/user/me", { headers: { "x-api-key": "" } }, "Bearer"],
      ["/public/user/me", { headers: bearer("not-a-jwt") }, 'Bearer error="invalid_token"'],
      ["/public/user/me", { headers: bearer(tokens.idToken) }, 'Bearer error="invalid_token"'],
      ["/public/user/me/logout", { method: "POST", headers: { "x-api-key": "" } }, "Bearer"],
    ];
    for (const [path, init, challenge] of cases) {
      const res = await rest(path, init);
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate"), path).toBe(challenge);
    }
  });

  it("over tRPC too", async () => {
    const me = await raw("/trpc/public.me", { headers: { authorization: "Bearer not-a-jwt" } });
    expect(me.status).toBe(401);
    expect(me.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    const byId = await raw(`/trpc/user.byId?input=${encodeURIComponent(JSON.stringify({ id: crypto.randomUUID() }))}`);
    expect(byId.status).toBe(401);
    expect(byId.headers.get("www-authenticate")).toBe('ApiKey header="x-api-key"');
  });

  it("is absent from answers that are not 401", async () => {
    const res = await rest(`/user/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("www-authenticate")).toBeNull();
  });
});

describe("415 Unsupported Media Type", () => {
  it("refuses a body that is not declared JSON, saying what to send, and changes nothing", async () => {
    const body = newUser();
    for (const contentType of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/merge-patch+json",
      "application/json-seq",
      "",
    ]) {
      const res = await rest("/user", {
        method: "POST",
        raw: JSON.stringify(body),
        headers: { "content-type": contentType },
      });
      expect(res.status, contentType).toBe(415);
      expect(res.json, contentType).toEqual({
        message: "Send the body as JSON, with content-type: application/json",
        code: "UNSUPPORTED_MEDIA_TYPE",
      });
    }
    expect((await rest(`/user/email/${body.email}`)).status).toBe(404);
  });

  it("compares media types case-insensitively and allows parameters such as charset", async () => {
    for (const contentType of [
      "Application/JSON",
      "application/json; charset=utf-8",
      "APPLICATION/JSON;CHARSET=UTF-8",
      'application/json ; charset="utf-8"',
    ]) {
      const res = await rest("/user", {
        method: "POST",
        raw: JSON.stringify(newUser()),
        headers: { "content-type": contentType },
      });
      expect(res.status, contentType).toBe(201);
    }
  });

  it("takes application/merge-patch+json on the PATCH data route (RFC 7396), and only there", async () => {
    const { user } = await registered();
    const patch = await rest(`/user/${user.id}/data/update`, {
      method: "PATCH",
      raw: '{"theme":"dark"}',
      headers: { "content-type": "Application/Merge-Patch+JSON" },
    });
    expect(patch.status).toBe(200);
    expect(patch.json.profile.data).toEqual({ theme: "dark" });
    const put = await rest(`/user/${user.id}/data/update`, {
      method: "PUT",
      raw: '{"theme":"light"}',
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(put.status).toBe(415);
    const text = await rest(`/user/${user.id}/data/update`, {
      method: "PATCH",
      raw: '{"theme":"light"}',
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.json.message).toBe(
      "Send the body as JSON, with content-type: application/json or application/merge-patch+json",
    );
    expect((await rest(`/user/${user.id}`)).json.profile.data).toEqual({ theme: "dark" });
  });
});
