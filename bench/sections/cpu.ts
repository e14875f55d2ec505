import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { clientOptions, dynamo } from "@iam/core/testing";
import { apiEvent, invoke, type Handler } from "../lib/lambda.ts";
import type { CpuResult, CpuRun } from "../lib/results.ts";
import type { BenchUser } from "./fixture.ts";
import { userGetItem } from "../lib/user-get-item.ts";

/** P5: service CPU per request ÷ a bare GetItem's CPU per request. */
export const CPU_TARGET = 1.6;
export const ME_CPU_TARGET = 1.9;

/**
 * CPU time per request of this process (`process.cpuUsage()`: user + system), which runs the
 * handler and nothing else; DynamoDB Local is another process, so its work is not counted, and
 * neither is the wait for it. Each subject runs `requests` calls one after another, in blocks
 * that alternate with the other subjects' (A B C, C B A, …) so that drift hits all alike.
 */
export const measureCpu = async (
  handler: Handler,
  floor: Handler,
  apiKey: string,
  user: BenchUser,
  options: { requests: number; blocks: number; warmup: number },
): Promise<CpuResult> => {
  // The bare baseline: a fresh client configured as the service's (its timeouts, retry strategy
  // and HTTP handler: what the service cannot do without), as in section 1.
  const dynamodb = new DynamoDBClient(clientOptions());
  const getItem = userGetItem(user.id);
  const key = { "x-api-key": apiKey };
  const bearer = { authorization: `Bearer ${user.accessToken}` };
  const ops: Record<string, () => Promise<unknown>> = {
    "bare GetItem": () => dynamodb.send(new GetItemCommand(getItem)),
    "GET /user/{id}": () => invoke(handler, apiEvent("GET", `/user/${user.id}`, { headers: key })),
    "GET /public/user/me": () => invoke(handler, apiEvent("GET", "/public/user/me", { headers: bearer })),
    "bare GetItem on the service's own client instance": () => dynamo().send(new GetItemCommand(getItem)),
    "floor handler, GET /user/{id}": () => invoke(floor, apiEvent("GET", `/user/${user.id}`, { headers: key })),
  };
  const names = Object.keys(ops);
  const used = Object.fromEntries(names.map((n) => [n, { micros: 0, calls: 0 }]));
  const perBlock = Math.ceil(options.requests / options.blocks);
  for (let block = -1; block < options.blocks; block++) {
    for (const name of block % 2 === 0 ? names : [...names].reverse()) {
      const op = ops[name];
      const total = used[name];
      if (!op || !total) continue;
      const calls = block < 0 ? options.warmup : perBlock;
      const start = process.cpuUsage();
      for (let i = 0; i < calls; i++) await op();
      const cpu = process.cpuUsage(start);
      if (block >= 0) {
        total.micros += cpu.user + cpu.system;
        total.calls += calls;
      }
    }
  }
  dynamodb.destroy();
  const perRequest = (name: string) => {
    const t = used[name];
    return t ? t.micros / t.calls : Number.NaN;
  };
  const base = perRequest("bare GetItem");
  const runs: CpuRun[] = names.map((name) => ({
    name,
    requests: used[name]?.calls ?? 0,
    microsPerRequest: perRequest(name),
    ratio: perRequest(name) / base,
    target: name === "GET /user/{id}" ? CPU_TARGET : name === "GET /public/user/me" ? ME_CPU_TARGET : undefined,
  }));
  return { runs, blocks: options.blocks };
};
