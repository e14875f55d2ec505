import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const MARKER = "<!-- bench:runs · newest first · `npm run bench` inserts each new run below this line -->";

/** What the figures mean; regenerated on every run, above the runs. */
const INTRO = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts, 3 to 5 minutes). Every figure is a ratio against a
baseline measured in the same run, on the same machine, interleaved with it, so that a slow or
busy machine moves both alike; absolute times are given for reading, not for comparing machines.
The newest run comes first; older runs are kept below it, so a regression shows as a jump between
two sections.

How each figure is made:

1. **Service overhead.** \`handler\` from packages/functions/src/handler.ts (hono/aws-lambda) is
   called in-process with API Gateway v2 events, against DynamoDB Local and cognito-local started by
   the bench (\`startStack\`, in memory). P1's baseline is the floor handler (bench/handlers/floor.ts:
   a minimal Hono app behind the same adapter doing the same \`GetItem\` on the service's client and
   answering the same JSON and headers). The other baselines are the bare AWS SDK request(s) the
   route cannot do without, on a fresh client configured as the service's (\`clientOptions\`: its
   timeouts, retry strategy and HTTP handler): the same \`GetItem\` (ElectroDB's key) for the reads;
   for login \`AdminInitiateAuth\` + \`GetItem\` + \`UpdateItem\`. Subject and baseline alternate call by call;
   medians of 600 (login: 500) calls each after 50 warm-up rounds. The service logs at \`info\`, as in
   production (to a file), with NODE_ENV=production as infra/api.ts sets it. For \`GET /user/{id}\` the
   layers in between are timed in the same interleaving (ElectroDB alone, the Hono app without the
   Lambda adapter), to show where the added time goes.
2. **Requests per route.** Middleware on the service's own SDK clients (\`dynamo()\`, \`cognito()\`,
   \`s3()\` of \`@iam/core/testing\`) records each command's name while every route of the route
   table is called once through the handler. Machine calls use the bootstrap API key (no
   DynamoDB lookup); a stored key adds one cached \`GetItem\` at most every 30 s.
3. **Bundle and cold start.** infra/build.ts \`buildApi\`, the build \`sst deploy\` ships: an ESM
   entry and the chunks it loads on first use (Cognito, S3, SQS, EventBridge); the size is every
   \`.mjs\` of the directory (the OpenAPI document and /docs' files are shipped beside it as files).
   The metafile says what fills it. Cold start: a fresh \`node\` process imports the bundle and
   answers one event; baseline: the same for a hello-world handler bundle (and, for a real read, a
   bare \`GetItem\` handler bundle).
4. **JWT.** The service's verifier (\`Auth.verifyToken\`, aws-jwt-verify with its JWKS cache) on a
   real cognito-local access token, against \`crypto.verify("RSA-SHA256")\` of the same token with
   the same key; batches of 25 tokens, interleaved. A wrapper on \`globalThis.fetch\` counts JWKS
   downloads for the whole run.
5. **CPU per request.** \`process.cpuUsage()\` of the process running the handler in-process, over
   5,000 sequential requests per subject in interleaved blocks, against the same bare \`GetItem\`;
   DynamoDB Local's own work is in another process and not counted. \`npx tsx bench/profile.ts\`
   [id|me|floor] profiles one route the same way and prints self time by package and function.

Limits: DynamoDB Local and cognito-local are not DynamoDB and Cognito (round trips from Lambda
to DynamoDB are longer, but a 1024 MB function also has only about half a vCPU); the machine is
shared with other work (see the load average of each run); Node here may differ from Lambda's
(nodejs22.x).
`;

/** Puts the run at the top of the runs, keeping every older run below it. */
export const writeBenchmarks = async (path: string, run: string): Promise<void> => {
  let older = "";
  if (existsSync(path)) {
    const text = await readFile(path, "utf8");
    const at = text.indexOf(MARKER);
    older = at >= 0 ? text.slice(at + MARKER.length).trim() : text.trim();
  }
  await mkdir(dirname(path), { recursive: true });
  // An empty run only refreshes the text above the runs.
  await writeFile(path, `${[INTRO.trim(), MARKER, run.trim(), older].filter(Boolean).join("\n\n")}\n`);
};
