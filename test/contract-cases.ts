import { randomUUID } from "node:crypto";
import { activeUser, newUser, registered, rest } from "./helpers.ts";
import { LIFECYCLE_CASES, type ContractCase } from "./lifecycle/contract-cases.ts";
import { viaTrpc } from "./support/trpc.ts";

/**
 * The contract cases: one per procedure, each returning the REST answer, the tRPC answer and
 * `keys`, what must differ between two runs (new ids, tokens). test/contract.test.ts compares the
 * two transports; test/rest-switch.test.ts sends the REST side to main's old adapter and to the
 * route table.
 */
const USER_KEYS = ["id", "email", "name", "handle", "createdAt", "lastLoginAt", "activationCode", "iconUrl"];

const KEY_KEYS = ["keyId", "apiKey", "createdAt", "revokedAt", "lastUsedAt"];
const newKey = async (): Promise<string> =>
  (await rest("/admin/keys", { method: "POST", body: { name: "contract", scopes: ["read"] } })).json.keyId;

/** Every procedure of the router, each a call over REST and the same call over tRPC (HTTP). */
export const CONTRACT_CASES: Record<string, ContractCase> = {
  ...LIFECYCLE_CASES,
  "user.register": async () => ({
    rest: await rest("/user", { method: "POST", body: newUser() }),
    trpc: await viaTrpc("user.register", newUser()),
    keys: USER_KEYS,
  }),
  "user.activate": async () => {
    const [a, b] = [await registered(), await registered()];
    return {
      rest: await rest(`/user/activate/${a.user.activationCode}`),
      trpc: await viaTrpc("user.activate", { activationCode: b.user.activationCode }),
      keys: USER_KEYS,
    };
  },
  "user.byId": async () => {
    const { user } = await registered();
    return { rest: await rest(`/user/${user.id}`), trpc: await viaTrpc("user.byId", { id: user.id }) };
  },
  "user.byName": async () => {
    const { body } = await registered();
    return { rest: await rest(`/user/name/${body.name}`), trpc: await viaTrpc("user.byName", { name: body.name }) };
  },
  "user.byEmail": async () => {
    const { body } = await registered();
    return {
      rest: await rest(`/user/email/${body.email}`),
      trpc: await viaTrpc("user.byEmail", { email: body.email }),
    };
  },
  "user.byHandle": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/handle/${encodeURIComponent(user.handle)}`),
      trpc: await viaTrpc("user.byHandle", { handle: user.handle }),
    };
  },
  "user.setStatus": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/status/SUSPENDED`, { method: "PATCH" }),
      trpc: await viaTrpc("user.setStatus", { id: user.id, status: "SUSPENDED" }),
    };
  },
  "user.replaceData": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/data/update`, { method: "PUT", body: { a: 1, b: [true] } }),
      trpc: await viaTrpc("user.replaceData", { id: user.id, a: 1, b: [true] }),
    };
  },
  "user.mergeData": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/data/update`, { method: "PATCH", body: { a: { b: 1 } } }),
      trpc: await viaTrpc("user.mergeData", { id: user.id, a: { b: 1 } }),
    };
  },
  "user.issueBadge": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/badge/HELPFUL`, { method: "POST" }),
      trpc: await viaTrpc("user.issueBadge", { id: user.id, name: "HELPFUL" }),
    };
  },
  "user.revokeBadge": async () => {
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/badge/NEW_MEMBER`, { method: "DELETE" }),
      trpc: await viaTrpc("user.revokeBadge", { id: user.id, name: "NEW_MEMBER" }),
    };
  },
  "user.delete": async () => {
    const [a, b] = [await registered(), await registered()];
    return {
      rest: await rest(`/user/${a.user.id}`, { method: "DELETE" }),
      trpc: await viaTrpc("user.delete", { id: b.user.id }),
      keys: ["id"],
    };
  },
  "auth.login": async () => {
    const { body } = await activeUser();
    const credentials = { email: body.email, password: body.password };
    return {
      rest: await rest("/auth/login", { method: "POST", body: credentials }),
      trpc: await viaTrpc("auth.login", credentials),
      keys: ["accessToken", "idToken", "refreshToken"],
    };
  },
  "auth.verify": async () => {
    const { tokens } = await activeUser();
    return {
      rest: await rest(`/auth/token/access/verify/${tokens.accessToken}`),
      trpc: await viaTrpc("auth.verify", { tokenType: "access", token: tokens.accessToken }),
    };
  },
  "admin.createKey": async () => ({
    rest: await rest("/admin/keys", { method: "POST", body: { name: "contract", scopes: ["read"] } }),
    trpc: await viaTrpc("admin.createKey", { name: "contract", scopes: ["read"] }),
    keys: KEY_KEYS,
  }),
  "admin.listKeys": async () => {
    // Other tests create keys meanwhile: compare what both transports say about one key.
    const { keyId } = (await rest("/admin/keys", { method: "POST", body: { name: "listed", scopes: ["auth"] } })).json;
    const pick = (r: { status: number; json: any }) => ({
      status: r.status,
      json: r.json.keys.find((k: { keyId: string }) => k.keyId === keyId),
    });
    return { rest: pick(await rest("/admin/keys")), trpc: pick(await viaTrpc("admin.listKeys", undefined)) };
  },
  "admin.revokeKey": async () => {
    const [a, b] = [await newKey(), await newKey()];
    return {
      rest: await rest(`/admin/keys/${a}`, { method: "DELETE" }),
      trpc: await viaTrpc("admin.revokeKey", { keyId: b }),
      keys: KEY_KEYS,
    };
  },
  "admin.rotateKey": async () => {
    const [a, b] = [await newKey(), await newKey()];
    return {
      rest: await rest(`/admin/keys/${a}/rotate`, { method: "POST", body: { graceSeconds: 60 } }),
      trpc: await viaTrpc("admin.rotateKey", { keyId: b, graceSeconds: 60 }),
      keys: KEY_KEYS,
    };
  },
  "webhooks.deadLetters": async () => {
    // Other tests add dead letters meanwhile: compare what both transports say about one.
    const { Events } = await import("@iam/core");
    const event = Events.create({
      type: "user.activated",
      subject: { userId: randomUUID() },
      actor: { type: "system" },
      data: {},
    });
    const { id } = await Events.DeadLetters.record(
      { event, url: "https://hooks.example.com/in", attempt: 3, firstAttemptAt: event.at },
      "HTTP 503",
    );
    const pick = (r: { status: number; json: any }) => ({
      status: r.status,
      json: r.json.deadLetters.find((d: { id: string }) => d.id === id),
    });
    return {
      rest: pick(await rest("/admin/webhooks/dead-letters?limit=100")),
      trpc: pick(await viaTrpc("webhooks.deadLetters", { limit: 100 })),
    };
  },
  "user.events": async () => {
    // One user, read by both transports: the same events, the same page.
    const { user } = await registered();
    return {
      rest: await rest(`/user/${user.id}/events?limit=5`),
      trpc: await viaTrpc("user.events", { id: user.id, limit: 5 }),
    };
  },
  "public.events": async () => {
    const { tokens } = await activeUser();
    const headers = { authorization: `Bearer ${tokens.accessToken}` };
    return {
      rest: await rest("/public/user/me/events?type=session.login_succeeded", { headers }),
      trpc: await viaTrpc("public.events", { type: "session.login_succeeded" }, headers),
    };
  },
  "public.me": async () => {
    const { tokens } = await activeUser();
    const headers = { authorization: `Bearer ${tokens.accessToken}` };
    return { rest: await rest("/public/user/me", { headers }), trpc: await viaTrpc("public.me", undefined, headers) };
  },
};
