import { AdminInitiateAuthCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { Config } from "@iam/core";
import { clientOptions, db } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import type { KeyObject } from "node:crypto";
import { floorHandler } from "../handlers/floor.ts";
import { apiEvent, invoke, type Handler } from "../lib/lambda.ts";
import type { Comparison, Layer } from "../lib/results.ts";
import { interleave, summarize } from "../lib/stats.ts";
import { userGetItem } from "../lib/user-get-item.ts";
import type { BenchUser } from "./fixture.ts";

/** P1: the service ÷ the floor handler (bench/handlers/floor.ts), medians in one interleaving. */
export const FLOOR_TARGET = 1.15;
export const ME_FLOOR_TARGET = 1.2;

/** The floor handler, answering with the headers the service answered `GET /user/{id}` with. */
export const makeFloor = async (handler: Handler, apiKey: string, userId: string, key: KeyObject) => {
  const res = await invoke(handler, apiEvent("GET", `/user/${userId}`, { headers: { "x-api-key": apiKey } }));
  const headers = Object.fromEntries(
    Object.entries(res.headers ?? {}).filter(([k]) => k !== "x-request-id" && k !== "content-length"),
  ) as Record<string, string>;
  return floorHandler(headers, key) as unknown as Handler;
};

/** A comparison of two summaries by their medians (`target`: the limit the ratio must stay under). */
const compared = (
  name: string,
  baseline: string,
  subject: Comparison["subject"],
  base: Comparison["base"],
  target?: number,
): Comparison => ({ name, baseline, subject, base, ratio: subject.median / base.median, target });

export type OverheadOptions = { rounds: number; warmup: number; loginRounds: number };

/**
 * Each route through the real Lambda handler (hono/aws-lambda, API Gateway v2 events, in
 * process) against the bare SDK requests the route cannot do without, on fresh SDK clients with
 * no ElectroDB, tRPC or HTTP layer, interleaved.
 */
export const measureOverhead = async (
  handler: Handler,
  apiKey: string,
  user: BenchUser,
  floor: Handler,
  options: OverheadOptions,
): Promise<{ comparisons: Comparison[]; layers: Layer[]; whatIf: Layer[] }> => {
  // Configured as the service's clients (timeouts, retry strategy, HTTP handler), fresh.
  const dynamodb = new DynamoDBClient(clientOptions());
  const cognito = new CognitoIdentityProviderClient(clientOptions());
  const getItem = userGetItem(user.id);
  const bareGet = () => dynamodb.send(new GetItemCommand(getItem));
  const key = { "x-api-key": apiKey };
  const compare = async (
    name: string,
    baseline: string,
    subject: () => Promise<unknown>,
    base: () => Promise<unknown>,
    rounds: number,
    target?: number,
  ) => {
    const s = await interleave({ subject, base }, { rounds, warmup: options.warmup });
    const [sub, bas] = [summarize(s.subject), summarize(s.base)];
    process.stderr.write(`  ${name}: ${sub.median.toFixed(3)} ms vs ${bas.median.toFixed(3)} ms\n`);
    return compared(name, baseline, sub, bas, target);
  };

  // GET /user/{id} layer by layer, all interleaved: where the added time goes.
  const app = createApp();
  const ops = {
    handler: () => invoke(handler, apiEvent("GET", `/user/${user.id}`, { headers: key })),
    floor: () => invoke(floor, apiEvent("GET", `/user/${user.id}`, { headers: key })),
    app: async () => {
      const res = await app.request(`/user/${user.id}`, { headers: key });
      if (res.status !== 200) throw new Error(`app.request: ${res.status}`);
      await res.text();
    },
    electrodb: async () => {
      const { data } = await db().entities.user.get({ id: user.id }).go();
      if (!data) throw new Error("ElectroDB get found nothing");
    },
    // What-if: ElectroDB builds an Error (stack trace and all) on every call unless `originalErr`.
    electrodbOriginalErr: async () => {
      const { data } = await db().entities.user.get({ id: user.id }).go({ originalErr: true });
      if (!data) throw new Error("ElectroDB get found nothing");
    },
    bare: bareGet,
  };
  const layered = await interleave(ops, { rounds: options.rounds, warmup: options.warmup });
  const layers: Layer[] = [
    { name: "bare GetItem (low-level client)", ...summarize(layered.bare) },
    { name: "ElectroDB get (document client, unmarshalled, validated)", ...summarize(layered.electrodb) },
    {
      name: "Hono app.request (routing, API key, tRPC + trpc-to-openapi, zod output, JSON, log line)",
      ...summarize(layered.app),
    },
    { name: "Lambda handler (API Gateway v2 event ↔ Request/Response)", ...summarize(layered.handler) },
  ];
  const whatIf: Layer[] = [
    { name: "floor handler (Hono + the same GetItem, JSON and headers, same adapter)", ...summarize(layered.floor) },
    {
      name: "ElectroDB get with `originalErr: true` (no Error built per call)",
      ...summarize(layered.electrodbOriginalErr),
    },
  ];
  const [h, b, f] = [summarize(layered.handler), summarize(layered.bare), summarize(layered.floor)];
  process.stderr.write(
    `  GET /user/{id}: ${h.median.toFixed(3)} ms vs floor ${f.median.toFixed(3)} ms vs bare ${b.median.toFixed(3)} ms\n`,
  );
  const byId = compared("GET /user/{id}", "floor handler", h, f, FLOOR_TARGET);
  const byIdBare = compared("GET /user/{id}", "GetItem", h, b);
  const floorBare = compared("floor handler", "GetItem", f, b);
  const bearer = { authorization: `Bearer ${user.accessToken}` };
  const meSamples = await interleave(
    {
      handler: () => invoke(handler, apiEvent("GET", "/public/user/me", { headers: bearer })),
      floor: () => invoke(floor, apiEvent("GET", "/public/user/me", { headers: bearer })),
      bare: bareGet,
    },
    { rounds: options.rounds, warmup: options.warmup },
  );
  const [mh, mf, mb] = [summarize(meSamples.handler), summarize(meSamples.floor), summarize(meSamples.bare)];
  process.stderr.write(
    `  GET /public/user/me: ${mh.median.toFixed(3)} ms vs floor ${mf.median.toFixed(3)} ms vs bare ${mb.median.toFixed(3)} ms\n`,
  );
  const me = compared("GET /public/user/me", "floor handler + bare verify", mh, mf, ME_FLOOR_TARGET);
  const meBare = compared("GET /public/user/me", "GetItem", mh, mb);
  // Login needs Cognito's password check, the user's status and the `lastLoginAt` write whatever
  // the framework: its baseline is those three requests, bare.
  const { userPoolId, clientId } = Config.auth;
  const bareLogin = async () => {
    await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    await bareGet();
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: getItem.TableName,
        Key: getItem.Key,
        UpdateExpression: "SET #t = :t",
        ExpressionAttributeNames: { "#t": "lastLoginAt" },
        ExpressionAttributeValues: { ":t": { S: new Date().toISOString() } },
      }),
    );
  };
  const login = await compare(
    "POST /auth/login",
    "AdminInitiateAuth + GetItem + UpdateItem",
    () =>
      invoke(
        handler,
        apiEvent("POST", "/auth/login", { headers: key, body: { email: user.email, password: user.password } }),
      ),
    bareLogin,
    options.loginRounds,
  );
  dynamodb.destroy();
  cognito.destroy();
  return { comparisons: [byId, me, byIdBare, meBare, floorBare, login], layers, whatIf };
};
