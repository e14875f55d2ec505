import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "@iam/core";
import { dynamo } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { activeUser } from "./helpers.ts";

/**
 * Counts DynamoDB requests per route with an SDK middleware on the client the service uses,
 * driving the app in-process. Reads must cost at most 2 requests; nothing may ever Scan.
 */
const calls: string[] = [];
const MIDDLEWARE = "count-dynamodb-requests";
beforeAll(() => {
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: MIDDLEWARE },
  );
});
afterAll(() => {
  dynamo().middlewareStack.remove(MIDDLEWARE);
});

const app = createApp();
const measure = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  calls.length = 0;
  const res = await app.request(path, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, commands: [...calls] };
};

describe("DynamoDB requests per route", () => {
  it("reads cost at most 2 requests (by id: 1), and no route scans", async () => {
    const { body, user, tokens } = await activeUser();
    const key = { "x-api-key": Config.bootstrapApiKey };
    const reads: [string, string, Record<string, string>, number][] = [
      ["GET", `/user/${user.id}`, key, 1],
      ["GET", `/user/name/${body.name}`, key, 2],
      ["GET", `/user/email/${body.email}`, key, 2],
      ["GET", `/user/handle/${user.handle}`, key, 2],
      ["GET", "/public/user/me", { authorization: `Bearer ${tokens.accessToken}` }, 1],
      ["GET", `/auth/token/access/verify/${tokens.accessToken}`, key, 1],
    ];
    const report: Record<string, string[]> = {};
    for (const [method, path, headers, expected] of reads) {
      const { status, commands } = await measure(method, path, headers);
      report[`${method} ${path.split("/").slice(0, 3).join("/")}`] = commands;
      expect(status, path).toBe(200);
      expect(commands.length, `${path}: ${commands.join(",")}`).toBe(expected);
    }
    const writes: [string, string, unknown?][] = [
      ["PATCH", `/user/${user.id}/data/update`, { a: 1 }],
      ["PUT", `/user/${user.id}/data/update`, { b: 2 }],
      ["POST", `/user/${user.id}/badge/MENTOR`],
      ["DELETE", `/user/${user.id}/badge/MENTOR`],
      ["PATCH", `/user/${user.id}/status/CONFIRMED`],
      ["POST", "/auth/login", { email: body.email, password: body.password }],
      ["DELETE", `/user/${user.id}`],
    ];
    for (const [method, path, payload] of writes) {
      const { status, commands } = await measure(method, path, key, payload);
      expect(status, `${method} ${path}`).toBe(200);
      expect(
        commands.filter((c) => /Scan/.test(c)),
        `${method} ${path}`,
      ).toEqual([]);
    }
    console.info("DynamoDB commands per read route:", report);
  });

  it("login costs at most 3 DynamoDB requests: reserve the attempt, read the user, give the attempt back with lastLoginAt", async () => {
    const { body } = await activeUser();
    const key = { "x-api-key": Config.bootstrapApiKey };
    const { status, commands } = await measure("POST", "/auth/login", key, {
      email: body.email,
      password: body.password,
    });
    expect(status).toBe(200);
    expect(commands).toEqual(["TransactWriteItemsCommand", "GetItemCommand", "TransactWriteItemsCommand"]);
  });
});
