import { runNode } from "../lib/child.ts";
import { createRequire } from "node:module";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import getPort from "get-port";
import { startServer } from "@iam/local/server";
import type { LoadRun, ThroughputResult } from "../lib/results.ts";
import { quantile } from "../lib/stats.ts";
import type { BenchUser } from "./fixture.ts";
import { userGetItem } from "./overhead.ts";

export const THROUGHPUT_TARGET = 0.8;
const autocannonCli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

type AutocannonJson = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

/** CPU time this process used while `run` ran, in cores (1 = one core busy the whole time). */
const cpuCores = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const used = process.cpuUsage(cpu);
  return [result, (used.user + used.system) / 1000 / (performance.now() - started)];
};

/** autocannon in its own process (its CLI), so that it does not share the server's event loop. */
const autocannon = async (
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
): Promise<AutocannonJson> => {
  const args = [autocannonCli, "-j", "-c", String(connections), "-d", String(seconds)];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  const { code, out, err } = await runNode([...args, url]);
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${err}`);
  try {
    return JSON.parse(out) as AutocannonJson;
  } catch {
    throw new Error(`autocannon printed no JSON: ${out.slice(0, 200)} ${err.slice(0, 200)}`);
  }
};

/** `connections` GetItem loops on one fresh client for `seconds`: the emulator's own ceiling. */
const rawGetItemLoop = async (getItem: ReturnType<typeof userGetItem>, seconds: number, connections: number) => {
  const client = new DynamoDBClient({});
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const res = await client.send(new GetItemCommand(getItem));
        if (!res.Item) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  client.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    requests: latencies.length,
    failures,
  };
};

/**
 * HTTP throughput of the local server (`startServer`, the `npm start` app, in this process)
 * under autocannon (a separate process), against a raw GetItem loop on the same emulator.
 */
export const measureThroughput = async (
  apiKey: string,
  user: BenchUser,
  options: { seconds: number; connections: number; warmupSeconds: number },
): Promise<ThroughputResult> => {
  const { seconds, connections, warmupSeconds } = options;
  const server = await startServer(await getPort());
  const getItem = userGetItem(user.id);
  try {
    await rawGetItemLoop(getItem, warmupSeconds, connections);
    const [raw, rawCores] = await cpuCores(() => rawGetItemLoop(getItem, seconds, connections));
    process.stderr.write(`  raw GetItem loop: ${raw.rps.toFixed(0)} req/s\n`);
    const rawRun: LoadRun = { name: "raw GetItem loop", ...raw, serverCores: rawCores };
    const routes: ThroughputResult["routes"] = [];
    const cases: [string, string, Record<string, string>][] = [
      ["GET /user/{id}", `/user/${user.id}`, { "x-api-key": apiKey }],
      ["GET /public/user/me", "/public/user/me", { authorization: `Bearer ${user.accessToken}` }],
    ];
    // `npm start` sets NODE_ENV=production, as Lambda does (infra/api.ts); the target applies there.
    // The same server with NODE_ENV unset is measured too, for comparison.
    const modes: [string, string | undefined, boolean][] = [
      ["npm start", "production", true],
      ["NODE_ENV unset", undefined, false],
    ];
    const nodeEnv = process.env.NODE_ENV;
    for (const [mode, env, targeted] of modes)
      for (const [route, path, headers] of cases) {
        if (env === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = env;
        const url = `${server.url}${path}`;
        await autocannon(url, headers, warmupSeconds, connections);
        const [r, cores] = await cpuCores(() => autocannon(url, headers, seconds, connections));
        const run: LoadRun = {
          name: `${route} (${mode})`,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: r.requests.total,
          failures: r.non2xx + r.errors + r.timeouts,
          serverCores: cores,
        };
        process.stderr.write(`  ${run.name}: ${run.rps.toFixed(0)} req/s\n`);
        routes.push({ ...run, ratio: run.rps / raw.rps, target: targeted ? THROUGHPUT_TARGET : undefined });
      }
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    return {
      durationS: seconds,
      connections,
      how: "HTTP app served in the measuring process with startServer() (what `npm start` runs), with NODE_ENV=production as `npm start` and Lambda set it, and unset for comparison; autocannon CLI in a child process",
      raw: rawRun,
      routes,
    };
  } finally {
    await server.close();
  }
};
