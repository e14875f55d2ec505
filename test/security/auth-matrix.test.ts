import { describe, expect, it } from "vitest";
import { ApiKey } from "@iam/core";
import { procedures } from "@iam/functions/procedures";
import { activeUser, rest } from "../helpers.ts";
import { viaTrpc } from "../support/trpc.ts";
import { ACCESS } from "./access-table.ts";
import { allScopesBut, createKey } from "./keys.ts";

/** Plausible values for path parameters: enough to get past routing to the auth check. */
const SAMPLE: Record<string, string> = {
  id: "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
  name: "MENTOR",
  email: "nobody@example.com",
  handle: "@Nobody",
  activationCode: "a".repeat(21),
  status: "CONFIRMED",
  role: "USER",
  tokenType: "access",
  token: "x",
  keyId: "a".repeat(16),
};

const call = (name: string, headers: Record<string, string>) => {
  const openapi = procedures[name]?._def.meta?.openapi;
  if (!openapi) throw new Error(`${name} has no REST route`);
  const path = openapi.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(SAMPLE[p] ?? "x"));
  const hasBody = ["POST", "PUT", "PATCH"].includes(openapi.method);
  return rest(path, {
    method: openapi.method,
    headers: { "x-api-key": "", ...headers },
    ...(hasBody ? { body: {} } : {}),
  });
};

const AUTH_ERRORS = [401, 403];

describe("auth matrix: every procedure × every kind of caller", () => {
  it("classifies every procedure of the router, and each procedure declares what the table says", () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const [name, access] of Object.entries(ACCESS)) {
      const meta = procedures[name]?._def.meta;
      const declared = meta?.access === "apiKey" ? `apiKey:${meta.scope}` : meta?.access;
      expect(declared, name).toBe(access);
    }
  });

  it("gives 0 unauthorized 2xx, and lets the right caller through", async () => {
    const revoked = await createKey(ApiKey.SCOPES);
    expect((await rest(`/admin/keys/${revoked.keyId}`, { method: "DELETE" })).status).toBe(200);
    const suspended = await activeUser();
    expect((await rest(`/user/${suspended.user.id}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(200);
    const user = await activeUser();
    SAMPLE.token = user.tokens.accessToken; // so that the verify route can answer 200 to the right caller

    const outcomes: string[] = [];
    for (const [name, access] of Object.entries(ACCESS)) {
      const scope = access.startsWith("apiKey:")
        ? (access.slice(7) as "read" | "write" | "auth" | "recovery" | "admin")
        : undefined;
      const denied: [string, Record<string, string>][] = [
        ["no credentials", {}],
        ["wrong key", { "x-api-key": `iam_wrongwrongwrongw_${"x".repeat(43)}` }],
        ["garbage key", { "x-api-key": "not a key" }],
        ["revoked key", { "x-api-key": revoked.apiKey }],
        ["suspended user's token", { authorization: `Bearer ${suspended.tokens.accessToken}` }],
      ];
      if (scope) {
        denied.push(["key lacking the scope", { "x-api-key": (await createKey(allScopesBut(scope))).apiKey }]);
        denied.push(["user bearer token", { authorization: `Bearer ${user.tokens.accessToken}` }]);
      } else if (access === "bearer") {
        denied.push(["admin key", { "x-api-key": (await createKey(ApiKey.SCOPES)).apiKey }]);
      }
      for (const [who, headers] of denied) {
        const res = await call(name, headers);
        outcomes.push(`${name} / ${who}: ${res.status}`);
        expect(AUTH_ERRORS, `${name} called with ${who} → ${res.status} ${JSON.stringify(res.json)}`).toContain(
          res.status,
        );
      }
      if (scope) {
        const ok = await call(name, { "x-api-key": (await createKey([scope])).apiKey });
        expect(AUTH_ERRORS, `${name} with a '${scope}' key → ${ok.status}`).not.toContain(ok.status);
        expect(ok.status, name).toBeLessThan(500);
      } else if (access === "bearer") {
        const fresh = await activeUser();
        const ok = await call(name, { authorization: `Bearer ${fresh.tokens.accessToken}` });
        expect(AUTH_ERRORS, `${name} with a user token → ${ok.status}`).not.toContain(ok.status);
        expect(ok.status, name).toBeLessThan(500);
      }
    }
    // The lacking-scope case is a 403, not a 401: the key is known, the permission is not there.
    expect(outcomes.filter((o) => o.includes("key lacking the scope")).every((o) => o.endsWith(": 403"))).toBe(true);
  });

  it("enforces the same over tRPC", async () => {
    for (const name of Object.keys(ACCESS)) {
      // No credentials at all.
      expect((await viaTrpc(name, undefined, {})).status, name).toBe(401);
    }
  });
});
