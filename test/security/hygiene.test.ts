import { describe, expect, it } from "vitest";
import { db } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { procedures } from "@iam/functions/procedures";
import { apiKey, activeUser, newUser, registered, rest } from "../helpers.ts";
import { INJECTED, LIFECYCLE_MUTATIONS } from "../lifecycle/mass-assignment.ts";
import { failing } from "../support/aws-faults.ts";

type Target = { id: string; email: string; password: string };
/** Each mutation called on `target` with valid input plus the injected fields. */
const MUTATIONS: Record<string, (t: Target) => Promise<{ status: number }>> = {
  "user.register": () => rest("/user", { method: "POST", body: { ...newUser(), ...INJECTED } }),
  "user.setStatus": (t) => rest(`/user/${t.id}/status/CONFIRMED`, { method: "PATCH", body: INJECTED }),
  "user.replaceData": (t) => rest(`/user/${t.id}/data/update`, { method: "PUT", body: { theme: "dark", ...INJECTED } }),
  "user.mergeData": (t) =>
    rest(`/user/${t.id}/data/update`, { method: "PATCH", body: { theme: "light", ...INJECTED } }),
  "user.issueBadge": (t) => rest(`/user/${t.id}/badge/MENTOR`, { method: "POST", body: INJECTED }),
  "user.revokeBadge": (t) => rest(`/user/${t.id}/badge/MENTOR`, { method: "DELETE" }),
  "user.delete": async () => rest(`/user/${(await registered()).user.id}`, { method: "DELETE" }),
  "auth.login": (t) =>
    rest("/auth/login", { method: "POST", body: { email: t.email, password: t.password, ...INJECTED } }),
  "admin.createKey": () => rest("/admin/keys", { method: "POST", body: { name: "x", scopes: ["read"], ...INJECTED } }),
  "admin.revokeKey": () => rest(`/admin/keys/${"q".repeat(16)}`, { method: "DELETE" }),
  "admin.rotateKey": () => rest(`/admin/keys/${"q".repeat(16)}/rotate`, { method: "POST", body: INJECTED }),
};

describe("mass assignment", () => {
  it("covers every mutation of the router (the lifecycle ones in test/lifecycle/mass-assignment.test.ts)", () => {
    const mutations = Object.entries(procedures)
      .filter(([, p]) => p._def.type === "mutation")
      .map(([n]) => n);
    expect([...Object.keys(MUTATIONS), ...Object.keys(LIFECYCLE_MUTATIONS)].sort()).toEqual(mutations.sort());
  });

  it("no mutation lets a caller set role, status, id, badges, keys or version", async () => {
    const { body, user } = await activeUser();
    const target = { id: user.id, email: body.email, password: body.password };
    for (const [name, run] of Object.entries(MUTATIONS)) {
      const res = await run(target);
      expect(res.status, name).toBeLessThan(500);
      const { data: raw } = await db().entities.user.get({ id: user.id }).go({ data: "raw", consistent: true });
      const item = (raw as { Item?: Record<string, unknown> } | null)?.Item ?? (raw as Record<string, unknown>);
      expect(item.role, name).toBe("USER");
      expect(item.id, name).toBe(user.id);
      expect(String(item.pk), name).toContain(user.id);
      expect(item.version, name).not.toBe(999);
      expect([...((item.badges as Set<string> | undefined) ?? [])], name).not.toContain("HACKED");
      expect(item.status, name).toBe("CONFIRMED");
    }
    // The injected fields that reached the data blob are data, nothing more; `id` stays the path's.
    const after = (await rest(`/user/${user.id}`)).json;
    expect(after.role).toBe("USER");
    expect(after.profile.data.id).toBeUndefined();
  });

  it("a registration with injected fields is refused outright (strict input), creating nothing", async () => {
    const body = newUser();
    const res = await rest("/user", { method: "POST", body: { ...body, role: "ADMIN" } });
    expect(res.status).toBe(400);
    expect((await rest(`/user/email/${body.email}`)).status).toBe(404);
  });
});

describe("no internals in responses", () => {
  it("answers an internal failure with a bare 500, whatever NODE_ENV says", async () => {
    // A request DynamoDB refuses as malformed is a bug of ours: it must come out as a bare 500.
    const fault = failing("dynamodb", "GetItem", {
      error: "ValidationException",
      status: 400,
      message: "secret detail at /srv/app/db.ts:12 (pk=USER#1)",
    });
    const previous = process.env.NODE_ENV;
    try {
      for (const env of ["development", "production", "test"]) {
        process.env.NODE_ENV = env;
        const app = createApp();
        for (const path of [
          `/user/${crypto.randomUUID()}`,
          `/trpc/user.byId?input=${encodeURIComponent(JSON.stringify({ id: crypto.randomUUID() }))}`,
        ]) {
          const res = await app.request(path, { headers: { "x-api-key": apiKey() } });
          const text = await res.text();
          expect(res.status, `${env} ${path}`).toBe(500);
          expect(text).toContain("Internal server error");
          expect(text).not.toMatch(/secret|db\.ts|USER#|"stack"|node_modules/);
        }
      }
    } finally {
      process.env.NODE_ENV = previous;
      fault.restore();
    }
  });
});

describe("CORS", () => {
  it("allows configured origins on /public and /trpc, nobody else, and never on S2S routes", async () => {
    const preflight = (path: string, origin: string) =>
      createApp().request(path, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
      });
    const allowed = await preflight("/public/user/me", "https://app.example.com");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(
      (await preflight("/trpc/public.me", "http://localhost:5173")).headers.get("access-control-allow-origin"),
    ).toBe("http://localhost:5173");
    expect(
      (await preflight("/public/user/me", "https://evil.example.net")).headers.get("access-control-allow-origin"),
    ).toBeNull();
    expect((await preflight("/user", "https://app.example.com")).headers.get("access-control-allow-origin")).toBeNull();
    // The browser routes never let a page send the machine key.
    expect(allowed.headers.get("access-control-allow-headers")).not.toMatch(/x-api-key/i);
    // S2S routes (API key): no CORS header of any kind, even for an allowed origin.
    for (const path of ["/user", "/auth/login", `/user/${crypto.randomUUID()}/data/update`, "/auth/password/forgot"]) {
      const res = await preflight(path, "https://app.example.com");
      expect(
        [...res.headers.keys()].filter((h) => h.startsWith("access-control-")),
        path,
      ).toEqual([]);
    }
  });
});
