import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { activeUser, apiKey, baseUrl, newUser, registered } from "./helpers.ts";
import { createKey } from "./security/keys.ts";
import { operationsOf, servedDoc, type Doc, type Operation } from "./support/openapi-doc.ts";
import { responseChecker, type Answer } from "./support/response-check.ts";

/**
 * Every status the service answers an operation with is in the document, with the body and the
 * required headers documented for it (issue 15 item 5). Each operation of the served document is
 * driven through its error cases — no or wrong credentials, a key without the scope, invalid and
 * unknown path values, bodies that are not JSON, not an object, too large — then through the
 * domain's own errors and one successful call, and every answer goes through a response
 * validator (test/support/response-check.ts). The test fails on any answer the document does not
 * describe, whatever its status.
 */
let doc: Doc;
let check: ReturnType<typeof responseChecker>;
const problems: string[] = [];
const seen = new Map<string, Set<number>>();

const record = (method: string, path: string, answer: Answer) => {
  const key = `${method.toUpperCase()} ${path}`;
  seen.set(key, (seen.get(key) ?? new Set()).add(answer.status));
  problems.push(...check(method, path, answer));
  return answer;
};

type Send = { headers?: Record<string, string>; body?: string; query?: string };
/** One HTTP request to `url` (a concrete path), recorded as an answer of `method template`. */
const send = async (
  method: string,
  template: string,
  url: string,
  init: Send = {},
): Promise<Answer & { json: () => any }> => {
  const res = await fetch(`${baseUrl()}${url}${init.query ?? ""}`, {
    method: method.toUpperCase(),
    headers: init.headers,
    body: init.body,
  });
  const answer = { status: res.status, headers: res.headers, text: await res.text() };
  record(method, template, answer);
  return { ...answer, json: () => JSON.parse(answer.text) };
};
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const key = (k: string) => ({ "x-api-key": k });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A body of 2 MiB, announced by Content-Length: the service answers 413 from the header, before
 * reading it (then closes the connection), so only the headers are sent.
 */
const tooLarge = (method: string, template: string, url: string, headers: Record<string, string>) =>
  new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(`${baseUrl()}${url}`, {
      method: method.toUpperCase(),
      headers: { ...headers, "content-type": "application/json", "content-length": String(2 * 1024 * 1024) },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") h.set(name, value);
        resolve(
          record(method, template, {
            status: res.statusCode ?? 0,
            headers: h,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
    });
    req.on("error", reject);
    req.flushHeaders();
  });

/** Values for path parameters: well-formed (naming nothing that exists) and malformed. */
const wellFormed = (path: string, name: string): string =>
  ({
    id: randomUUID(),
    name: path.includes("/badge/") ? "MENTOR" : "nobody_at_all",
    email: "nobody@example.com",
    handle: "@NobodyAtAll",
    activationCode: "A".repeat(21),
    status: "CONFIRMED",
    role: "MODERATOR",
    tokenType: "access",
    token: "not-a-token",
    keyId: "a".repeat(16),
  })[name] ?? "x";
const fill = (path: string, value: (name: string) => string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(value(name)));

const BODY = ["post", "put", "patch"];
const scopeOf = (op: Operation) => /`(\w+)` scope/.exec(op.description ?? "")?.[1];

let narrow: { read: string; write: string };
beforeAll(async () => {
  doc = await servedDoc();
  check = responseChecker(doc);
  const [read, write] = await Promise.all([createKey(["read"]), createKey(["write"])]);
  narrow = { read: read.apiKey, write: write.apiKey };
});

describe("every answer of every operation is documented: status, body and required headers", () => {
  it("the error cases of each operation: credentials, scopes, path values, bodies", async () => {
    for (const { path, method, op } of operationsOf(doc)) {
      const url = fill(path, (n) => wellFormed(path, n));
      const access = op.security?.[0] ? Object.keys(op.security[0])[0] : "public";
      // A fresh user per bearer operation: some of them (logout, password change) end its sessions.
      const good =
        access === "apiKey"
          ? key(apiKey())
          : access === "bearer"
            ? bearer((await activeUser()).tokens.accessToken)
            : {};
      const body: Send & { headers: Record<string, string> } = BODY.includes(method) ? json({}) : { headers: {} };

      await send(method, path, url, body); // no credentials
      if (access === "apiKey") {
        await send(method, path, url, {
          ...body,
          headers: { ...body.headers, ...key(`iam_${"x".repeat(32)}_${"y".repeat(43)}`) },
        });
        await send(method, path, url, {
          ...body,
          headers: { ...body.headers, ...key(scopeOf(op) === "read" ? narrow.write : narrow.read) },
        });
      }
      if (access === "bearer")
        await send(method, path, url, { ...body, headers: { ...body.headers, ...bearer("not-a-jwt") } });
      if (path.includes("{"))
        await send(
          method,
          path,
          fill(path, () => "!bad value!"),
          { ...body, headers: { ...body.headers, ...good } },
        );
      await send(method, path, url, { ...body, headers: { ...body.headers, ...good }, query: "?__proto__=1" });
      if (BODY.includes(method)) {
        for (const [type, raw] of [
          ["text/plain", "plain text"],
          ["application/json", "{ not json"],
          ["application/json", "[1, 2, 3]"],
          ["application/json", '"a string"'],
        ] as const)
          await send(method, path, url, { headers: { ...good, "content-type": type }, body: raw });
        await tooLarge(method, path, url, good);
      }
      // Last: well-formed values that name nothing, with the right credential (may succeed, e.g. logout).
      await send(method, path, url, { ...body, headers: { ...body.headers, ...good } });
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("the domain's own answers, and one success of every operation", async () => {
    const op =
      (method: string, path: string) =>
      (url: string, init: Send = {}) =>
        send(method, path, url, init);
    const admin = key(apiKey());

    // Registration: created, conflicting, an Idempotency-Key reused with another body.
    const body = newUser();
    const created = (await op("post", "/user")("/user", json(body, admin))).json();
    await op("post", "/user")("/user", json(body, admin));
    const idem = randomUUID();
    await op("post", "/user")("/user", json(newUser(), { ...admin, "idempotency-key": idem }));
    await op("post", "/user")("/user", json(newUser(), { ...admin, "idempotency-key": idem }));

    // Sign-in before activation, activation, a used code, sign-in with a wrong then the right password.
    await op("post", "/auth/login")("/auth/login", json({ email: body.email, password: body.password }, admin));
    await op("get", "/user/activate/{activationCode}")(`/user/activate/${created.activationCode}`, { headers: admin });
    await op("get", "/user/activate/{activationCode}")(`/user/activate/${created.activationCode}`, { headers: admin });
    await op("post", "/auth/login")("/auth/login", json({ email: body.email, password: "Wrong-Password-1" }, admin));
    const tokens = (
      await op("post", "/auth/login")("/auth/login", json({ email: body.email, password: body.password }, admin))
    ).json();
    const id = created.id as string;

    // Reads and lookups.
    await op("get", "/public/user/me")("/public/user/me", { headers: bearer(tokens.accessToken) });
    await op("get", "/auth/token/{tokenType}/verify/{token}")(`/auth/token/access/verify/${tokens.accessToken}`, {
      headers: admin,
    });
    await op("get", "/auth/token/{tokenType}/verify/{token}")(`/auth/token/id/verify/${tokens.accessToken}`, {
      headers: admin,
    });
    await op("get", "/user/{id}")(`/user/${id}`, { headers: admin });
    await op("get", "/user/name/{name}")(`/user/name/${body.name}`, { headers: admin });
    await op("get", "/user/email/{email}")(`/user/email/${encodeURIComponent(body.email)}`, { headers: admin });
    await op("get", "/user/handle/{handle}")(`/user/handle/${encodeURIComponent(created.handle)}`, { headers: admin });
    await op("get", "/user")("/user?limit=2", { headers: admin });
    await op("get", "/user")("/user?limit=101", { headers: admin });
    await op("get", "/user")("/user?cursor=forged", { headers: admin });

    // Data, badges, profile, status, role.
    await op("put", "/user/{id}/data/update")(`/user/${id}/data/update`, json({ a: 1 }, admin));
    await op("patch", "/user/{id}/data/update")(`/user/${id}/data/update`, json({ a: null, b: 2 }, admin));
    await op("put", "/user/{id}/data/update")(`/user/${id}/data/update`, json({ big: "x".repeat(40 * 1024) }, admin));
    await op("post", "/user/{id}/badge/{name}")(`/user/${id}/badge/MENTOR`, { headers: admin });
    await op("post", "/user/{id}/badge/{name}")(`/user/${id}/badge/NO_SUCH_BADGE`, { headers: admin });
    await op("delete", "/user/{id}/badge/{name}")(`/user/${id}/badge/MENTOR`, { headers: admin });
    await op("patch", "/user/{id}/profile")(`/user/${id}/profile`, json({ currency: "EUR" }, admin));
    await op("patch", "/public/user/me/profile")(
      "/public/user/me/profile",
      json({ lang: "fr-FR" }, bearer(tokens.accessToken)),
    );
    await op("patch", "/user/{id}/status/{status}")(`/user/${id}/status/CONFIRMED`, { headers: admin });

    // Avatars: a ticket, an upload, a confirmation; a key that was never issued.
    const ticket = (
      await op("post", "/user/{id}/avatar/upload")(
        `/user/${id}/avatar/upload`,
        json({ contentType: "image/png" }, admin),
      )
    ).json();
    await upload(ticket);
    await op("post", "/user/{id}/avatar/confirm")(`/user/${id}/avatar/confirm`, json({ key: ticket.key }, admin));
    await op("post", "/user/{id}/avatar/confirm")(
      `/user/${id}/avatar/confirm`,
      json({ key: `uploads/${id}/nothing.png` }, admin),
    );
    const own = (
      await op("post", "/public/user/me/avatar/upload")(
        "/public/user/me/avatar/upload",
        json({ contentType: "image/png" }, bearer(tokens.accessToken)),
      )
    ).json();
    await upload(own);
    await op("post", "/public/user/me/avatar/confirm")(
      "/public/user/me/avatar/confirm",
      json({ key: own.key }, bearer(tokens.accessToken)),
    );
    await op("post", "/public/user/me/avatar/confirm")(
      "/public/user/me/avatar/confirm",
      json({ key: `uploads/${id}/nothing.webp` }, bearer(tokens.accessToken)),
    );

    // Sessions and passwords: refresh, a wrong current password, a change, a forgotten one, logout.
    await op("post", "/auth/refresh")("/auth/refresh", json({ refreshToken: tokens.refreshToken }, admin));
    await op("post", "/auth/refresh")("/auth/refresh", json({ refreshToken: "not-a-token" }, admin));
    await op("post", "/public/user/me/password")(
      "/public/user/me/password",
      json({ currentPassword: "Wrong-Password-1", newPassword: "Another-Pass-2" }, bearer(tokens.accessToken)),
    );
    await op("post", "/public/user/me/password")(
      "/public/user/me/password",
      json({ currentPassword: body.password, newPassword: "Another-Pass-2" }, bearer(tokens.accessToken)),
    );
    const reset = (
      await op("post", "/auth/password/forgot")("/auth/password/forgot", json({ email: body.email }, admin))
    ).json();
    await op("post", "/auth/password/reset")(
      "/auth/password/reset",
      json({ code: "B".repeat(21), newPassword: "Third-Password-3" }, admin),
    );
    await op("post", "/auth/password/reset")(
      "/auth/password/reset",
      json({ code: reset.resetCode, newPassword: "Third-Password-3" }, admin),
    );
    const again = (
      await op("post", "/auth/login")("/auth/login", json({ email: body.email, password: "Third-Password-3" }, admin))
    ).json();
    await op("post", "/public/user/me/logout")("/public/user/me/logout", { headers: bearer(again.accessToken) });
    await op("get", "/public/user/me")("/public/user/me", { headers: bearer(again.accessToken) });
    await op("patch", "/user/{id}/role/{role}")(`/user/${id}/role/MODERATOR`, { headers: admin });

    // Suspended: sign-in refused, old tokens refused.
    const other = await activeUser();
    await op("patch", "/user/{id}/status/{status}")(`/user/${other.user.id}/status/SUSPENDED`, { headers: admin });
    await op("post", "/auth/login")(
      "/auth/login",
      json({ email: other.body.email, password: other.body.password }, admin),
    );
    await op("get", "/public/user/me")("/public/user/me", { headers: bearer(other.tokens.accessToken) });

    // Machine keys: create, list, rotate, rotate again (the old key is rotated), revoke.
    const made = (
      await op("post", "/admin/keys")("/admin/keys", json({ name: "statuses", scopes: ["read"] }, admin))
    ).json();
    await op("get", "/admin/keys")("/admin/keys", { headers: admin });
    await op("post", "/admin/keys/{keyId}/rotate")(
      `/admin/keys/${made.keyId}/rotate`,
      json({ graceSeconds: 0 }, admin),
    );
    await op("post", "/admin/keys/{keyId}/rotate")(`/admin/keys/${made.keyId}/rotate`, json({}, admin));
    await op("delete", "/admin/keys/{keyId}")(`/admin/keys/${made.keyId}`, { headers: admin });

    // Health, then the user's deletion.
    await op("get", "/health")("/health");
    await op("get", "/health/ready")("/health/ready");
    await op("delete", "/user/{id}")(`/user/${id}`, { headers: admin });
    const { user } = await registered();
    await op("delete", "/user/{id}")(`/user/${user.id}`, { headers: admin });

    expect(problems).toEqual([]);
  }, 300_000);

  it("reached a success and an error of every operation, and the errors this suite can provoke", () => {
    const summary = [...seen].map(([op, statuses]) => `${op}: ${[...statuses].sort().join(" ")}`);
    console.log(`statuses seen per operation:\n${summary.join("\n")}`);
    for (const { where } of operationsOf(doc)) {
      const statuses = [...(seen.get(where) ?? [])];
      expect(
        statuses.some((s) => s < 300),
        `${where}: a success`,
      ).toBe(true);
      if (!where.startsWith("GET /health"))
        expect(
          statuses.some((s) => s >= 400),
          `${where}: an error`,
        ).toBe(true);
    }
    const all = new Set([...seen.values()].flatMap((s) => [...s]));
    for (const status of [200, 201, 400, 401, 403, 404, 409, 413, 422])
      expect(all.has(status), String(status)).toBe(true);
  });
});

/** Sends a 1×1 PNG with the presigned POST form of an upload ticket, as a browser would. */
const upload = async (ticket: { url: string; fields: Record<string, string> }) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(PNG)], { type: "image/png" }), "a.png");
  expect((await fetch(ticket.url, { method: "POST", body: form })).status).toBeLessThan(300);
};
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
