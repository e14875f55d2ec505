import { randomUUID, verify, type KeyObject } from "node:crypto";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamo } from "@iam/core/testing";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { toInfo } from "../../packages/core/src/user/info.ts";
import type { UserItem } from "../../packages/core/src/user/record.ts";
import { userGetItemFor } from "../lib/user-get-item.ts";

/**
 * The floor for P1: what any Lambda serving `GET /user/{id}` must do, written as plainly as
 * possible. A minimal Hono app behind the same Lambda adapter (hono/aws-lambda), the same GetItem
 * (ElectroDB's own key, built without ElectroDB per request) on the service's own SDK client (`dynamo()`: the same retry
 * strategy, timeouts and HTTP handler), the same JSON (core's `toInfo` of the item) and the same
 * response headers (`headers`: the service's, captured from one of its answers, with a fresh
 * request id per request). No API key, no tRPC, no zod, no ElectroDB, no access log.
 *
 * `/me` adds a bare RS256 `crypto.verify` of the bearer token with the pool's key (section 4's
 * baseline) and reads the user its `sub` names.
 */
export const floorHandler = (headers: Record<string, string>, key: KeyObject) => {
  const app = new Hono();
  const getItem = userGetItemFor();
  const answer = async (id: string) => {
    const { Item } = await dynamo().send(new GetItemCommand(getItem(id)));
    if (!Item) return new Response('{"code":"NOT_FOUND"}', { status: 404 });
    const body = JSON.stringify(toInfo(unmarshall(Item) as UserItem));
    return new Response(body, { status: 200, headers: { ...headers, "x-request-id": randomUUID() } });
  };
  app.get("/user/:id", (c) => answer(c.req.param("id")));
  app.get("/public/user/me", (c) => {
    const token = (c.req.header("authorization") ?? "").slice("Bearer ".length);
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return new Response(null, { status: 401 });
    if (!verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url")))
      return new Response(null, { status: 401 });
    const { sub } = JSON.parse(Buffer.from(payload, "base64url").toString()) as { sub: string };
    return answer(sub);
  });
  return handle(app);
};
