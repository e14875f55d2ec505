/**
 * Run by bench/profile.ts: warms up, then profiles only the measured loop (inspector's Profiler)
 * and writes the .cpuprofile to argv[3].
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { apiEvent, invoke, type Handler } from "./lib/lambda.ts";
import { activeUser } from "./sections/fixture.ts";
import { signingKey } from "./sections/jwt.ts";
import { makeFloor } from "./sections/overhead.ts";
import { countRequests } from "./sections/requests.ts";

const apiKey = process.env.BENCH_API_KEY ?? "";
const requests = Number(process.env.PROFILE_REQUESTS ?? 3000);
const [, , what = "id", out = "profile.cpuprofile"] = process.argv;
const { handler } = await import("@iam/functions/handler");
const user = await activeUser(handler, apiKey);
// Every route once first, as the bench does before it measures (section 2): the code is then as
// warm, and its call sites as varied, as in a function that serves all of them.
if (process.env.PROFILE_ALL_ROUTES === "1") await countRequests(handler, apiKey, user);
const subject: Handler = what.startsWith("floor")
  ? await makeFloor(handler, apiKey, user.id, await signingKey(user.accessToken, fetch))
  : handler;
const event = () =>
  what.endsWith("me")
    ? apiEvent("GET", "/public/user/me", { headers: { authorization: `Bearer ${user.accessToken}` } })
    : apiEvent("GET", `/user/${user.id}`, { headers: { "x-api-key": apiKey } });
for (let i = 0; i < 1000; i++) await invoke(subject, event());
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
const start = process.cpuUsage();
for (let i = 0; i < requests; i++) await invoke(subject, event());
const used = process.cpuUsage(start);
const { profile } = await session.post("Profiler.stop");
await writeFile(out, JSON.stringify(profile));
process.stderr.write(`${((used.user + used.system) / requests).toFixed(0)} µs CPU per request (profiler on)\n`);
