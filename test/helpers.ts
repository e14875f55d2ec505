import { randomUUID } from "node:crypto";
import { createTRPCClient, httpLink } from "@trpc/client";
import { inject } from "vitest";
import type { AppRouter } from "@iam/functions/router";

export const baseUrl = () => inject("baseUrl");
export const apiKey = () => inject("apiKey");

/** A fresh, valid registration body: unique per call so tests never collide. */
export const newUser = (overrides: Record<string, unknown> = {}) => {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `user.${tag}@example.com`,
    name: `user_${tag}`,
    password: "Correct-Horse1",
    ...overrides,
  };
};

type Init = { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string };

let restBase: string | undefined;
/**
 * Runs `run` with `rest()` aimed at another server (test/rest-switch.test.ts sends the same cases
 * to main's REST adapter and to the route table). Calls must not overlap: one target at a time.
 */
export const withRestBase = async <T>(url: string, run: () => Promise<T>): Promise<T> => {
  restBase = url;
  try {
    return await run();
  } finally {
    restBase = undefined;
  }
};

/** REST call; sends the API key unless told otherwise. Returns status, headers and parsed JSON. */
export const rest = async (path: string, init: Init = {}) => {
  const headers: Record<string, string> = { "x-api-key": apiKey(), ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${restBase ?? baseUrl()}${path}`, { method: init.method ?? "GET", headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
};

/** Typed tRPC client over HTTP (the same transport a TS frontend uses). */
export const trpc = (headers: Record<string, string> = { "x-api-key": apiKey() }) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${baseUrl()}/trpc`, headers })] });

/** Registers (REST) and returns the body sent plus the API's answer. */
export const registered = async (overrides: Record<string, unknown> = {}) => {
  const body = newUser(overrides);
  const res = await rest("/user", { method: "POST", body });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { body, user: res.json as { id: string; activationCode: string; [k: string]: any } };
};

/** Registered, activated and logged in: the user, its password and tokens. */
export const activeUser = async (overrides: Record<string, unknown> = {}) => {
  const { body, user } = await registered(overrides);
  const activated = await rest(`/user/activate/${user.activationCode}`);
  if (activated.status !== 200) throw new Error(`activate failed: ${activated.status}`);
  const login = await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
  return { body, user, tokens: login.json as { accessToken: string; idToken: string; refreshToken: string } };
};

export const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "x-api-key": "" });

/** Stores an activation `code` for the user that expired a minute ago (the table's TTL has not removed it yet). */
export const putExpiredActivation = async (userId: string, code: string) => {
  const { db, hashCode } = await import("@iam/core/testing");
  await db()
    .entities.activation.put({ codeHash: hashCode(code), userId, expiresAt: Math.floor(Date.now() / 1000) - 60 })
    .go();
};

/**
 * Every table item whose keys or attributes contain `value`. A Scan: test-only, to prove that
 * nothing of a user is left behind (the service itself never scans).
 */
export const itemsMentioning = async (value: string) => {
  const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
  const { documentClient } = await import("@iam/core/testing");
  const { Config } = await import("@iam/core");
  const found: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({ TableName: Config.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? [])
      if (JSON.stringify(item).toLowerCase().includes(value.toLowerCase())) found.push(item);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
};

/**
 * What is left of a deleted user once its events are purged (the purge runs after the DELETE
 * answers, from the `user.deleted` consumer; run here as that consumer would): every item still
 * mentioning `value`, except the one `user.deleted` record, which outlives the user by design
 * (docs/EVENTS.md, "What outlives a deletion").
 */
export const leftOfDeletedUser = async (userId: string, value: string = userId) => {
  const { Events } = await import("@iam/core");
  await Events.purgeUser(userId);
  return (await itemsMentioning(value)).filter(
    (i) => !(i.__edb_e__ === "event" && i.type === "user.deleted" && i.subject === `user:${userId}`),
  );
};
