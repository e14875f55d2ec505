import { PRIVATE_TABLE } from "./private-table.ts"; // first: this file lists a table of its own
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { documentClient } from "@iam/core/testing";
import { Config } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { credentials, provisionTable } from "@iam/local/provision";
import { apiKey, newUser } from "../helpers.ts";

/**
 * The listing over a table that holds only this file's 25 users, through the same app (REST and
 * tRPC, in-process): with other test files registering users meanwhile, only a table of its own
 * lets a test say "3 pages, every user once".
 */
const app = createApp();
const endpoint = () => process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "";

const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await app.request(path, {
    method: init.method ?? "GET",
    headers: { "x-api-key": apiKey(), "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, json: (await res.json()) as any };
};

type Listed = { id: string; createdAt: string; status: string; role: string };
type Page = { users: Listed[]; nextCursor: string | null };

const list = async (query: Record<string, string | number>) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return call(`/user?${qs}`);
};

/** Follows `nextCursor` to the end; returns each page's users. */
const allPages = async (query: Record<string, string | number>) => {
  const pages: Listed[][] = [];
  let cursor: string | null = null;
  do {
    const res = await list(cursor ? { ...query, cursor } : query);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const page = res.json as Page;
    pages.push(page.users);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(30);
  } while (cursor);
  return pages;
};

const order = (a: Listed, b: Listed) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
const ids = (users: Listed[]) => users.map((u) => u.id);

let users: Listed[] = [];
const pick = (indexes: number[]) => indexes.map((i) => users[i]?.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  expect(Config.tableName).toBe(PRIVATE_TABLE);
  await provisionTable(endpoint(), PRIVATE_TABLE);
  const registered: { id: string; activationCode: string }[] = [];
  for (let i = 0; i < 25; i++) {
    const res = await call("/user", { method: "POST", body: newUser() });
    expect(res.status).toBe(201);
    registered.push(res.json);
  }
  // 0–14 activated, of which 10–14 then suspended; 15–24 stay UNCONFIRMED.
  for (const i of range(0, 14))
    expect((await call(`/user/activate/${registered[i]?.activationCode}`)).status).toBe(200);
  for (const i of range(10, 14))
    expect((await call(`/user/${registered[i]?.id}/status/SUSPENDED`, { method: "PATCH" })).status).toBe(200);
  // Moderators 0–4, 15, 16; admins 5, 6, 20; the rest USER.
  for (const i of [...range(0, 4), 15, 16])
    expect((await call(`/user/${registered[i]?.id}/role/MODERATOR`, { method: "PATCH" })).status).toBe(200);
  for (const i of [5, 6, 20])
    expect((await call(`/user/${registered[i]?.id}/role/ADMIN`, { method: "PATCH" })).status).toBe(200);
  users = await Promise.all(registered.map(async (r) => (await call(`/user/${r.id}`)).json as Listed));
}, 180_000);

afterAll(async () => {
  await new DynamoDBClient({ endpoint: endpoint(), region: "us-east-1", credentials }).send(
    new DeleteTableCommand({ TableName: PRIVATE_TABLE }),
  );
});

describe("listing: GET /user?status=&role=&limit=&cursor=", () => {
  it("pages 25 users with limit=10 as 10, 10, 5: every user once, oldest first", async () => {
    const pages = await allPages({ limit: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const listed = pages.flat();
    expect(new Set(ids(listed)).size).toBe(25);
    expect(ids(listed)).toEqual(ids([...users].sort(order)));
  });

  it("filters by status, by role, and by both", async () => {
    const expectation: [Record<string, string>, number[]][] = [
      [{ status: "CONFIRMED" }, range(0, 9)],
      [{ status: "SUSPENDED" }, range(10, 14)],
      [{ status: "UNCONFIRMED" }, range(15, 24)],
      [{ role: "MODERATOR" }, [...range(0, 4), 15, 16]],
      [{ role: "ADMIN" }, [5, 6, 20]],
      [{ role: "USER" }, [...range(7, 14), ...range(17, 19), ...range(21, 24)]],
      [{ status: "CONFIRMED", role: "ADMIN" }, [5, 6]],
      [{ status: "SUSPENDED", role: "USER" }, range(10, 14)],
      [{ status: "UNCONFIRMED", role: "MODERATOR" }, [15, 16]],
      [{ status: "SUSPENDED", role: "ADMIN" }, []],
    ];
    for (const [filter, expected] of expectation) {
      const pages = await allPages({ ...filter, limit: 3 });
      const listed = pages.flat();
      expect(ids(listed), JSON.stringify(filter)).toEqual(
        ids(users.filter((u) => pick(expected).includes(u.id)).sort(order)),
      );
      expect(
        pages
          .map((p) => p.length)
          .slice(0, -1)
          .every((n) => n === 3),
        JSON.stringify(filter),
      ).toBe(true);
      for (const u of listed) expect(u).toMatchObject(filter);
    }
  });

  it("ends with nextCursor null when the last page is exactly full", async () => {
    const pages = await allPages({ status: "CONFIRMED", limit: 5 });
    expect(pages.map((p) => p.length)).toEqual([5, 5]);
  });

  it("answers the same over tRPC", async () => {
    const rest = await list({ role: "MODERATOR", limit: 4 });
    const input = encodeURIComponent(JSON.stringify({ role: "MODERATOR", limit: 4 }));
    const res = await app.request(`/trpc/directory.list?input=${input}`, { headers: { "x-api-key": apiKey() } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { data: unknown } }).result.data).toEqual(rest.json);
  });

  it("refuses a changed cursor, a cursor of another query, and bad parameters with 400", async () => {
    const first = (await list({ status: "CONFIRMED", limit: 2 })).json as Page;
    const cursor = first.nextCursor ?? "";
    const [payload = "", sig = ""] = cursor.split(".");
    const forged = Buffer.from(JSON.stringify([users[0]?.createdAt, users[0]?.id])).toString("base64url");
    const flipped = `${payload.slice(0, -1)}${payload.endsWith("A") ? "B" : "A"}.${sig}`;
    const bad: Record<string, string | number>[] = [
      { status: "CONFIRMED", cursor: `${forged}.${sig}` },
      { status: "CONFIRMED", cursor: flipped },
      { status: "SUSPENDED", cursor },
      { cursor },
      { status: "CONFIRMED", role: "USER", cursor },
      { status: "CONFIRMED", cursor: "not-a-cursor" },
      { limit: 0 },
      { limit: 101 },
      { limit: -1 },
      { limit: "ten" },
      { limit: 2.5 },
      { status: "DELETED" },
      { role: "ROOT" },
    ];
    for (const query of bad) expect((await list(query)).status, JSON.stringify(query)).toBe(400);
    const next = await list({ status: "CONFIRMED", limit: 2, cursor });
    expect(next.status).toBe(200);
    expect(ids(next.json.users)).toEqual(
      ids(users.filter((u) => pick(range(0, 9)).includes(u.id)).sort(order)).slice(2, 4),
    );
    expect((await list({ limit: 100 })).json.users).toHaveLength(25);
  });

  it("reads through index queries only, never a Scan: one Query per partition", async () => {
    const client = documentClient();
    const spy = vi.spyOn(client, "send");
    try {
      await list({ limit: 10 });
      const all = spy.mock.calls.map(([command]) => command.constructor.name);
      spy.mockClear();
      await list({ role: "ADMIN", status: "CONFIRMED", limit: 10 });
      const both = spy.mock.calls.map(([command]) => command.constructor.name);
      expect(all).toEqual(["QueryCommand", "QueryCommand", "QueryCommand"]);
      expect(both).toEqual(["QueryCommand"]);
    } finally {
      spy.mockRestore();
    }
  });
});
