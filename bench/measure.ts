/**
 * The in-process measurements (sections 1, 2, 4 and 5), run by `run.ts` in a child process whose
 * environment already points at the local stack, and whose stdout (the service's JSON logs, at
 * the production level) goes to a file. Progress goes to stderr; results to the JSON file named
 * by argv[2].
 */
import { writeFile } from "node:fs/promises";
import type { MeasureResults } from "./lib/results.ts";
import { activeUser } from "./sections/fixture.ts";
import { jwksFetchCounter, measureJwt, signingKey } from "./sections/jwt.ts";
import { measureCpu } from "./sections/cpu.ts";
import { makeFloor, measureOverhead } from "./sections/overhead.ts";
import { userGetItem } from "./lib/user-get-item.ts";
import { countRequests } from "./sections/requests.ts";

const out = process.argv[2];
const apiKey = process.env.BENCH_API_KEY;
if (!out || !apiKey) throw new Error("usage: BENCH_API_KEY=… measure.ts <results.json> (run by bench/run.ts)");
const quick = process.env.BENCH_QUICK === "1";
const say = (line: string) => process.stderr.write(`${line}\n`);

const fetches = jwksFetchCounter();
const { handler } = await import("@iam/functions/handler");

say("· fixture: register → activate → login through the handler");
const user = await activeUser(handler, apiKey);

say("· 2. requests per route");
const requests = await countRequests(handler, apiKey, user);
const jwksWarm = fetches.count(); // the verifier has verified a token: its JWKS is cached

const floor = await makeFloor(handler, apiKey, user.id, await signingKey(user.accessToken, fetches.uncounted));

say("· 1. service overhead (handler vs bare SDK, interleaved)");
const {
  comparisons: overhead,
  layers,
  whatIf,
} = await measureOverhead(
  handler,
  apiKey,
  user,
  floor,
  quick ? { rounds: 50, warmup: 10, loginRounds: 20 } : { rounds: 600, warmup: 50, loginRounds: 500 },
);

say("· 4. JWT verification");
const jwt = await measureJwt(user.accessToken, {
  ...(quick ? { rounds: 50, warmup: 5, batch: 10 } : { rounds: 400, warmup: 40, batch: 25 }),
  fetch: fetches.uncounted,
});

say("· 5. CPU per request (process.cpuUsage)");
const cpu = await measureCpu(
  handler,
  floor,
  apiKey,
  user,
  quick ? { requests: 200, blocks: 2, warmup: 50 } : { requests: 5000, blocks: 10, warmup: 300 },
);

const results: MeasureResults = {
  fixture: { userId: user.id, getItem: userGetItem(user.id) },
  requests,
  overhead,
  layers,
  whatIf,
  jwt: { ...jwt, jwksFetchesAfterWarmup: fetches.count() - jwksWarm, jwksFetchesTotal: fetches.count() },
  cpu,
};
await writeFile(out, JSON.stringify(results, null, 2));
process.exit(0);
