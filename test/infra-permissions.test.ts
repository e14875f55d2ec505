/**
 * Least privilege, from what the code really sends: each function infra declares is granted
 * exactly the IAM permissions its code needed during the integration run — nothing missing,
 * nothing extra.
 *
 * The `integration` project records every AWS SDK command the service's clients send, with the
 * resources it names and the function whose code sent it (test/infra-recorder.ts); this file runs
 * after it (the `audit` project, vitest.config.ts), maps each command to IAM permissions through
 * one table (test/infra-iam.ts), and compares them with what infra grants each function as SST
 * builds the role: its `permissions` plus whatever its links include (test/fixtures/sst-globals.ts
 * models SST's links). Like test/infra.test.ts it checks structure; it deploys nothing.
 */
import { API_ENTRY } from "../infra/build.ts";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Ref, evaluateConfig, type Evaluated, type Recorded } from "./fixtures/sst-globals.ts";
import { grantedTo, permissionsFor, unique, type Permission, type Statement } from "./infra-iam.ts";
import { DEFAULT_ROLE, ENTRY_POINTS, type Sent } from "./infra-recorder.ts";
import type { LinkDefinition } from "./fixtures/sst-globals.ts";

const root = join(import.meta.dirname, "..");

const RUN_THE_SUITE =
  "The IAM audit reads what the integration files record as they run: run the whole suite (`npm test`, or `npx vitest run` without a filter)";

type Recording = { sent: Sent[]; files: string[] };

/** This run's recording; refused unless every integration file ran in this run. */
const readRecording = (): Recording => {
  const dir = inject("sdkCommandLog");
  const expected = inject("integrationFiles");
  const partial = inject("partialRun");
  if (partial) throw new Error(`${RUN_THE_SUITE}; in this run, ${partial}.`);
  if (!existsSync(dir)) throw new Error(`${RUN_THE_SUITE}; in this run, no integration file ran.`);
  const entries = readdirSync(dir);
  const lines = (prefix: string) =>
    entries
      .filter((f) => f.startsWith(prefix))
      .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n"))
      .filter(Boolean);
  const ran = new Set(lines("ran-"));
  const missing = expected.filter((f) => !ran.has(f));
  if (missing.length > 0)
    throw new Error(
      `${RUN_THE_SUITE}; in this run, ${missing.length} of the ${expected.length} integration files did not run (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}).`,
    );
  return { sent: lines("sent-").map((l) => JSON.parse(l) as Sent), files: [...ran] };
};

type FunctionArgs = {
  handler: string;
  bundle?: unknown;
  permissions?: Statement[];
  link?: { getSSTLink(): LinkDefinition }[];
};

/**
 * Every function infra declares, by the name its recording uses: each `sst.aws.Function`, and the
 * function of each `sst.aws.Cron` (by the cron's name). Triggers and routes must point at one of
 * them (an inline function there would escape this audit).
 */
const functionsOf = (registry: Recorded[]): Map<string, FunctionArgs> => {
  const functions = new Map<string, FunctionArgs>();
  for (const c of registry) {
    if (c.type === "sst.aws.Function") functions.set(c.logicalName, c.args);
    if (c.type === "sst.aws.Cron")
      functions.set(
        c.logicalName,
        typeof c.args.function === "string" ? { handler: c.args.function } : c.args.function,
      );
    // A stream's or a queue's subscriber function (infra/events.ts), by the subscriber's name.
    if (
      c.type === "sst.aws.DynamoLambdaSubscriber" ||
      c.type === "sst.aws.QueueLambdaSubscriber" ||
      c.type === "sst.aws.BusLambdaSubscriber"
    )
      functions.set(c.logicalName, c.args.subscriber);
  }
  const arns = new Set([...registry.filter((c) => c.type === "sst.aws.Function")].map((c) => `{${c.logicalName}.arn}`));
  const handlers = [
    ...registry
      .filter((c) => c.type === "sst.aws.CognitoUserPool")
      .flatMap((c) =>
        Object.entries(c.args.triggers ?? {}).filter(([k]) => k !== "preTokenGenerationVersion" && k !== "kmsKey"),
      ),
    ...registry
      .filter((c) => c.type === "sst.aws.ApiGatewayV2")
      .flatMap((c) =>
        (c as Recorded & { routes: { route: string; handler: unknown }[] }).routes.map((r) => [r.route, r.handler]),
      ),
  ];
  for (const [where, handler] of handlers)
    if (!(handler instanceof Ref) || !arns.has(String(handler)))
      throw new Error(`${where}: an inline function (not a declared sst.aws.Function) is not audited`);
  return functions;
};

let recording: Recording;
let prod: Evaluated;
beforeAll(async () => {
  recording = readRecording();
  prod = await evaluateConfig("prod");
});
afterAll(() => prod?.uninstall());

/** Recorded commands of one function, and the permissions they need, each with where it was sent from. */
const neededBy = (role: string): Map<Permission, string[]> => {
  const needed = new Map<Permission, string[]>();
  for (const sent of recording.sent.filter((s) => s.role === role))
    for (const p of permissionsFor(sent))
      needed.set(p, [...new Set([...(needed.get(p) ?? []), `${sent.command} ← ${sent.from}`])]);
  return needed;
};

describe("IAM: each function is granted exactly what its code sent during the integration run", () => {
  it("reads a whole run: every integration file ran, and the service sent commands to every service it uses", () => {
    expect(recording.files.sort()).toEqual(inject("integrationFiles"));
    const services = new Set(recording.sent.map((s) => s.service));
    expect([...services].sort()).toEqual(["cognito-idp", "dynamodb", "events", "s3", "sqs"]);
  });

  it("knows who sent every command, on which linked resource, and how IAM authorises it", () => {
    const unknown = recording.sent
      .filter((s) => s.role === "unknown")
      .map((s) => `${s.service}:${s.command} from ${s.from}`);
    expect(unknown, "commands of the service's clients sent from no service code").toEqual([]);
    const unmapped = recording.sent.flatMap((s) => {
      try {
        permissionsFor(s);
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    });
    expect([...new Set(unmapped)]).toEqual([]);
  });

  it("saw every AWS call the code spells out: each SDK command it constructs, and its presigned POST, was sent", () => {
    // Derived permissions are only as complete as the run: a call no test reaches would be denied
    // in production. DynamoDB's calls come from ElectroDB and are not spelled out; its actions are
    // few and every one of them is sent by many tests.
    const deployed = ["packages/core/src", "packages/functions/src"].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
        .map((f) => readFileSync(join(root, dir, f), "utf8")),
    );
    const spelled = new Set(
      deployed.flatMap((text) => [...text.matchAll(/\bnew (\w+)Command\(/g)].map((m) => m[1] as string)),
    );
    if (deployed.some((text) => text.includes("createPresignedPost("))) spelled.add("PresignedPost");
    expect(spelled).toContain("AdminInitiateAuth"); // a guard on the scan itself
    const sent = new Set(recording.sent.filter((s) => s.role !== "unknown").map((s) => s.command));
    expect([...spelled].filter((c) => !sent.has(c)).sort(), "constructed by the code, sent by no test").toEqual([]);
  });

  it("audits every function infra declares, each running the code its commands are attributed to", async () => {
    const functions = functionsOf(prod.registry);
    expect([...functions.keys()].sort()).toEqual([DEFAULT_ROLE, ...Object.keys(ENTRY_POINTS)].sort());
    // A command is attributed to a function when that function's entry point is on its stack: the
    // function's handler must reach it (and the Api's handler is the HTTP app).
    for (const [name, entry] of Object.entries({ ...ENTRY_POINTS, [DEFAULT_ROLE]: "packages/functions/src/app.ts" })) {
      const fn = functions.get(name);
      const handler = fn?.handler ?? "";
      // A function shipped as a built directory (`bundle`: the Api, infra/build.ts) runs its build's entry.
      const file = fn?.bundle ? API_ENTRY : `${handler.slice(0, handler.lastIndexOf("."))}.ts`;
      const { metafile } = await build({
        entryPoints: [join(root, file)],
        bundle: true,
        write: false,
        metafile: true,
        absWorkingDir: root,
        platform: "node",
        format: "esm",
        logLevel: "silent",
      });
      expect(Object.keys(metafile.inputs), `${name}: ${file} reaches ${entry}`).toContain(entry);
    }
  });

  for (const name of [DEFAULT_ROLE, ...Object.keys(ENTRY_POINTS)])
    it(`${name}: granted exactly the permissions of the commands it sent`, () => {
      const fn = functionsOf(prod.registry).get(name);
      expect(fn, `${name} in infra`).toBeDefined();
      const needed = neededBy(name);
      const granted = unique(grantedTo(fn as FunctionArgs));
      const missing = [...needed.keys()]
        .filter((p) => !granted.includes(p))
        .sort()
        .map((p) => `${p}   (${needed.get(p)?.join("; ")})`);
      const extra = granted.filter((p) => !needed.has(p));
      expect({ missing, extra }, `${name}: what infra grants vs what its code sent`).toEqual({
        missing: [],
        extra: [],
      });
    });
});
