import { activeUser, bearer, newUser, registered, rest } from "../helpers.ts";
import { viaTrpc } from "../support/trpc.ts";

/**
 * REST-vs-tRPC contract cases for the lifecycle procedures, in the shape of `cases` in
 * test/contract.test.ts (each returns both answers and the keys that must differ between runs).
 * Each runs the procedure once per transport, on separate users where it changes state.
 */
type Answer = { status: number; json: unknown; headers?: Headers };
export type ContractCase = () => Promise<{ rest: Answer; trpc: Answer; keys?: string[] }>;

/** What differs between two runs of a user-shaped answer (each run registers its own users). */
export const USER_KEYS = [
  "id",
  "email",
  "name",
  "handle",
  "createdAt",
  "lastLoginAt",
  "activationCode",
  "iconUrl",
  "avatarUrl",
];
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const upload = async (ticket: { url: string; fields: Record<string, string> }) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(PNG)], { type: "image/png" }), "a.png");
  const res = await fetch(ticket.url, { method: "POST", body: form });
  if (res.status >= 300) throw new Error(`upload failed: ${res.status}`);
};

const twoUsers = () => Promise.all([activeUser(), activeUser()]);

export const LIFECYCLE_CASES: Record<string, ContractCase> = {
  "password.forgot": async () => {
    const [a, b] = await twoUsers();
    return {
      rest: await rest("/auth/password/forgot", { method: "POST", body: { email: a.body.email } }),
      trpc: await viaTrpc("password.forgot", { email: b.body.email }),
      keys: ["resetCode", "expiresAt"],
    };
  },
  "password.reset": async () => {
    const [a, b] = await twoUsers();
    const code = async (email: string) =>
      (await rest("/auth/password/forgot", { method: "POST", body: { email } })).json.resetCode as string;
    return {
      rest: await rest("/auth/password/reset", {
        method: "POST",
        body: { code: await code(a.body.email), newPassword: "Reset-Pass-1" },
      }),
      trpc: await viaTrpc("password.reset", { code: await code(b.body.email), newPassword: "Reset-Pass-1" }),
      keys: ["userId"],
    };
  },
  "password.change": async () => {
    const [a, b] = await twoUsers();
    const input = (u: typeof a) => ({ currentPassword: u.body.password, newPassword: "Changed-Pass-1" });
    return {
      rest: await rest("/public/user/me/password", {
        method: "POST",
        body: input(a),
        headers: bearer(a.tokens.accessToken),
      }),
      trpc: await viaTrpc("password.change", input(b), bearer(b.tokens.accessToken)),
    };
  },
  "session.refresh": async () => {
    const { tokens } = await activeUser();
    return {
      rest: await rest("/auth/refresh", { method: "POST", body: { refreshToken: tokens.refreshToken } }),
      trpc: await viaTrpc("session.refresh", { refreshToken: tokens.refreshToken }),
      keys: ["accessToken", "idToken"],
    };
  },
  "session.logout": async () => {
    const [a, b] = await twoUsers();
    return {
      rest: await rest("/public/user/me/logout", { method: "POST", headers: bearer(a.tokens.accessToken) }),
      trpc: await viaTrpc("session.logout", undefined, bearer(b.tokens.accessToken)),
      keys: ["tokensValidAfter"],
    };
  },
  "avatar.requestOwnUpload": async () => {
    const { tokens } = await activeUser();
    const input = { contentType: "image/png" };
    return {
      rest: await rest("/public/user/me/avatar/upload", {
        method: "POST",
        body: input,
        headers: bearer(tokens.accessToken),
      }),
      trpc: await viaTrpc("avatar.requestOwnUpload", input, bearer(tokens.accessToken)),
      keys: ["fields", "key", "expiresAt"],
    };
  },
  "avatar.confirmOwn": async () => {
    const [a, b] = await twoUsers();
    const ticket = async (token: string) =>
      (
        await rest("/public/user/me/avatar/upload", {
          method: "POST",
          body: { contentType: "image/png" },
          headers: bearer(token),
        })
      ).json;
    const [ta, tb] = [await ticket(a.tokens.accessToken), await ticket(b.tokens.accessToken)];
    await Promise.all([upload(ta), upload(tb)]);
    return {
      rest: await rest("/public/user/me/avatar/confirm", {
        method: "POST",
        body: { key: ta.key },
        headers: bearer(a.tokens.accessToken),
      }),
      trpc: await viaTrpc("avatar.confirmOwn", { key: tb.key }, bearer(b.tokens.accessToken)),
      keys: USER_KEYS,
    };
  },
  "avatar.requestUpload": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/avatar/upload`, { method: "POST", body: { contentType: "image/webp" } }),
      trpc: await viaTrpc("avatar.requestUpload", { id: user.id, contentType: "image/webp" }),
      keys: ["fields", "key", "expiresAt"],
    };
  },
  "avatar.confirm": async () => {
    const [a, b] = [await registered(), await registered()];
    const ticket = async (id: string) =>
      (await rest(`/user/${id}/avatar/upload`, { method: "POST", body: { contentType: "image/png" } })).json;
    const [ta, tb] = [await ticket(a.user.id), await ticket(b.user.id)];
    await Promise.all([upload(ta), upload(tb)]);
    return {
      rest: await rest(`/user/${a.user.id}/avatar/confirm`, { method: "POST", body: { key: ta.key } }),
      trpc: await viaTrpc("avatar.confirm", { id: b.user.id, key: tb.key }),
      keys: USER_KEYS,
    };
  },
  "profile.updateOwn": async () => {
    const [a, b] = await twoUsers();
    const input = { lang: "fr_fr", currency: "EUR" };
    return {
      rest: await rest("/public/user/me/profile", {
        method: "PATCH",
        body: input,
        headers: bearer(a.tokens.accessToken),
      }),
      trpc: await viaTrpc("profile.updateOwn", input, bearer(b.tokens.accessToken)),
      keys: USER_KEYS,
    };
  },
  "profile.update": async () => {
    const [a, b] = [await registered(), await registered()];
    return {
      rest: await rest(`/user/${a.user.id}/profile`, { method: "PATCH", body: { currency: "GBP" } }),
      trpc: await viaTrpc("profile.update", { id: b.user.id, currency: "GBP" }),
      keys: USER_KEYS,
    };
  },
  "profile.setRole": async () => {
    const [a, b] = [await registered(), await registered()];
    return {
      rest: await rest(`/user/${a.user.id}/role/MODERATOR`, { method: "PATCH" }),
      trpc: await viaTrpc("profile.setRole", { id: b.user.id, role: "MODERATOR" }),
      keys: USER_KEYS,
    };
  },
  "directory.list": async () => {
    await rest("/user", { method: "POST", body: newUser() });
    // The oldest user and the cursor after it: the same for both calls, whatever other tests add.
    return { rest: await rest("/user?limit=1"), trpc: await viaTrpc("directory.list", { limit: 1 }) };
  },
};
