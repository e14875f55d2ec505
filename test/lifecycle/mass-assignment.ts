import { rest } from "../helpers.ts";
import { login } from "./helpers.ts";

/**
 * The lifecycle mutations in the shape of `MUTATIONS` in test/security/hygiene.test.ts: each is
 * called on the target with valid input plus the injected fields, and must leave the target's
 * role, status, id, badges, keys and version as they were.
 */
type Target = { id: string; email: string; password: string };
type Mutation = (t: Target, injected: Record<string, unknown>) => Promise<{ status: number }>;

/** Fields no caller may set through any mutation (test/security/hygiene.test.ts, mass-assignment.test.ts). */
export const INJECTED = {
  role: "ADMIN",
  status: "SUSPENDED",
  id: "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
  badges: ["HACKED"],
  pk: "$iam#x",
  version: 999,
};

const bearerOf = async (t: Target) => ({
  authorization: `Bearer ${(await login(t.email, t.password)).json.accessToken}`,
  "x-api-key": "",
});

export const LIFECYCLE_MUTATIONS: Record<string, Mutation> = {
  "password.forgot": (t, x) => rest("/auth/password/forgot", { method: "POST", body: { email: t.email, ...x } }),
  "password.reset": (_t, x) =>
    rest("/auth/password/reset", { method: "POST", body: { code: "a".repeat(21), newPassword: "Reset-Pass-1", ...x } }),
  "password.change": async (t, x) =>
    rest("/public/user/me/password", {
      method: "POST",
      body: { currentPassword: t.password, newPassword: "Changed-Pass-1", ...x },
      headers: await bearerOf(t),
    }),
  "session.refresh": async (t, x) =>
    rest("/auth/refresh", {
      method: "POST",
      body: { refreshToken: (await login(t.email, t.password)).json.refreshToken, ...x },
    }),
  "session.logout": async (t, x) =>
    rest("/public/user/me/logout", { method: "POST", body: x, headers: await bearerOf(t) }),
  "avatar.requestOwnUpload": async (t, x) =>
    rest("/public/user/me/avatar/upload", {
      method: "POST",
      body: { contentType: "image/png", ...x },
      headers: await bearerOf(t),
    }),
  "avatar.confirmOwn": async (t, x) =>
    rest("/public/user/me/avatar/confirm", {
      method: "POST",
      body: { key: `users/${t.id}/avatar/${"a".repeat(21)}.png`, ...x },
      headers: await bearerOf(t),
    }),
  "avatar.requestUpload": (t, x) =>
    rest(`/user/${t.id}/avatar/upload`, { method: "POST", body: { contentType: "image/png", ...x } }),
  "avatar.confirm": (t, x) =>
    rest(`/user/${t.id}/avatar/confirm`, {
      method: "POST",
      body: { key: `users/${t.id}/avatar/${"a".repeat(21)}.png`, ...x },
    }),
  "profile.updateOwn": async (t, x) =>
    rest("/public/user/me/profile", { method: "PATCH", body: { lang: "en_gb", ...x }, headers: await bearerOf(t) }),
  "profile.update": (t, x) => rest(`/user/${t.id}/profile`, { method: "PATCH", body: { lang: "en_gb", ...x } }),
  "profile.setRole": (t, x) => rest(`/user/${t.id}/role/USER`, { method: "PATCH", body: x }),
};
