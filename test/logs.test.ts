import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { log, setLogDestination, setLogLevel } from "@iam/functions/log";
import { apiKey, newUser } from "./helpers.ts";

/**
 * The app in-process with its log lines captured: what a real request writes to CloudWatch.
 * Proves the access log is structured JSON with a request id and the route, and that no
 * password, token, API key or activation code reaches it, even when one travels in the path.
 */
const lines: string[] = [];
let restore: () => void = () => {};
const level = log.level;
beforeAll(() => {
  setLogLevel("info");
  restore = setLogDestination({ write: (line) => lines.push(line) });
});
afterAll(() => {
  restore();
  setLogLevel(level);
});

const app = createApp();
const call = async (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
  const id = `logs-${randomUUID()}`;
  const res = await app.request(path, {
    method: init.method ?? "GET",
    headers: {
      "x-request-id": id,
      "x-api-key": apiKey(),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { id, status: res.status, json: (await res.json()) as Record<string, unknown> };
};

const registeredUser = async () => {
  const body = newUser();
  const res = await call("/user", { method: "POST", body });
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  return { body, user: res.json };
};

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const lineFor = (requestId: string) => parsed().find((l) => l.requestId === requestId);

describe("structured logs", () => {
  it("log a JSON line per request with its id, method, route and status, and no secret", async () => {
    const body = newUser();
    const register = await call("/user", { method: "POST", body });
    expect(register.status).toBe(201);
    const code = String(register.json.activationCode);
    const activate = await call(`/user/activate/${code}`);
    expect(activate.status).toBe(200);
    const login = await call("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    expect(login.status).toBe(200);
    const { accessToken, idToken, refreshToken } = login.json as {
      accessToken: string;
      idToken: string;
      refreshToken: string;
    };
    const badLogin = await call("/auth/login", {
      method: "POST",
      body: { email: body.email, password: "Wrong-Horse9" },
    });
    expect(badLogin.status).toBe(401);
    const verify = await call(`/auth/token/id/verify/${idToken}`);
    expect(verify.status).toBe(200);
    const me = await call("/public/user/me", { headers: { authorization: `Bearer ${accessToken}`, "x-api-key": "" } });
    expect(me.status).toBe(200);
    const trpcLogin = await call("/trpc/auth.login", {
      method: "POST",
      body: { email: body.email, password: body.password },
    });
    expect(trpcLogin.status).toBe(200);

    expect(lineFor(register.id)).toMatchObject({ method: "POST", path: "/user", status: 201, level: 30 });
    expect(lineFor(activate.id)).toMatchObject({ method: "GET", path: "/user/activate/[redacted]", status: 200 });
    expect(lineFor(login.id)).toMatchObject({ method: "POST", path: "/auth/login", status: 200 });
    expect(lineFor(badLogin.id)).toMatchObject({ method: "POST", path: "/auth/login", status: 401 });
    expect(lineFor(verify.id)).toMatchObject({ method: "GET", path: "/auth/token/id/verify/[redacted]", status: 200 });
    expect(lineFor(me.id)).toMatchObject({ method: "GET", path: "/public/user/me", status: 200 });
    expect(lineFor(trpcLogin.id)).toMatchObject({ method: "POST", path: "/trpc/auth.login", status: 200 });
    expect(typeof lineFor(login.id)?.ms).toBe("number");

    const output = lines.join("");
    for (const secret of [body.password, "Wrong-Horse9", code, accessToken, idToken, refreshToken, apiKey()]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(output).not.toContain(secret);
    }
  });

  it("never write a token or code that travels in the path, however the path is spelled", async () => {
    const { body, user } = await registeredUser();
    const code = String(user.activationCode);
    const login = await (async () => {
      await call(`/user/activate/${code}`);
      return call("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
    })();
    const token = String(login.json.accessToken);
    const [, payload = "", signature = ""] = token.split(".");
    const other = "Z".repeat(21); // a well-formed activation code nobody has
    const paths = [
      `/auth/token/access/verify//${token}`,
      `/auth/token/access/verify/${token}/`,
      `/auth/token/access/verify/${token}//`,
      `//auth/token/access/verify/${token}`,
      `/AUTH/Token/access/VERIFY/${token}`,
      `/auth/token/access/verify/x/${token}`,
      `/auth/token/access/verify/${payload}%2F${signature}`,
      `/auth/token/access/verify/${payload}%2f${signature}`,
      `/auth/token/access/verify/${token.replace(/\./g, "%2E")}`,
      `/auth/token/access/verify%2F${token}`,
      `/auth/token/access/verify/${token}?x=1`,
      `/nowhere/${token}`,
      `/${token}`,
      `/trpc/${token}`,
      `/user/activate//${code}`,
      `/user/activate/${code}/`,
      `/USER/ACTIVATE/${code}`,
      `/user/activate/x/${code}`,
      `/user/activate/%2F${code}`,
      `/user/activate/${other}`,
      // A secret where a non-secret parameter goes: only a valid value of that parameter is shown.
      `/user/activate%2F${code}`,
      `/user/${token}`,
    ];
    const ids: string[] = [];
    for (const path of paths) ids.push((await call(path)).id);
    for (const method of ["DELETE", "PUT", "POST"])
      ids.push((await call(`/user/activate/${other}`, { method, body: {} })).id);
    const output = lines.join("\n");
    for (const secret of [payload, signature, code, other]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(output).not.toContain(secret);
      expect(output.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // Every request was logged, and the matched ones by their route with the secret redacted.
    for (const id of ids)
      expect(lineFor(id), id).toMatchObject({ path: expect.any(String), status: expect.any(Number) });
    expect(lineFor(ids[1] ?? "")?.path).toBe("/auth/token/access/verify/[redacted]");
    expect(lineFor(ids[4] ?? "")?.path).toBe("/auth/token/access/verify/[redacted]");
    expect(lineFor(ids[15] ?? "")?.path).toBe("/user/activate/[redacted]");
    expect(lineFor(ids[20] ?? "")?.path).toBe("/user/*");
  });

  it("redact secrets in whatever a log call is given, at any of the first three levels", () => {
    const secrets = {
      password: "pw-1-secret",
      token: "tok-2-secret",
      apiKey: "key-3-secret",
      activationCode: "code-4-secret",
    };
    log.warn(
      {
        ...secrets,
        headers: { authorization: "Bearer auth-5-secret", "x-api-key": "key-6-secret", cookie: "c-7-secret" },
        input: { body: { password: "pw-8-secret", refreshToken: "rt-9-secret" } },
        keep: "visible-value",
      },
      "redaction check",
    );
    const line = lines.at(-1) ?? "";
    expect(JSON.parse(line)).toMatchObject({ msg: "redaction check", keep: "visible-value", password: "[redacted]" });
    expect(line).not.toMatch(/-secret/);
  });
});
