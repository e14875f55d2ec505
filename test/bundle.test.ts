/**
 * The Lambda bundle works: the directory infra/api.ts hands SST as the `Api` function's `bundle`
 * (built by infra/build.ts, the one build) is the artifact `sst deploy` zips; its handler file is
 * imported by Node itself and invoked with an API Gateway v2 event against the local stack. It
 * proves the artifact resolves, loads and serves; it does not measure speed.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "./helpers.ts";
import { evaluateConfig } from "./fixtures/sst-globals.ts";

const root = join(import.meta.dirname, "..");

type ApiGatewayResult = {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
};
type Handler = (event: unknown, context: unknown) => Promise<ApiGatewayResult>;

const healthEvent = JSON.parse(readFileSync(join(root, "test/fixtures/apigw-v2-get-health.json"), "utf8"));

/** The recorded event, re-aimed at another GET path with extra headers. */
const getEvent = (path: string, headers: Record<string, string> = {}) => {
  const event = structuredClone(healthEvent);
  event.rawPath = path;
  event.requestContext.http.path = path;
  event.requestContext.requestId = randomUUID();
  event.headers = { ...event.headers, ...headers };
  return event;
};

const lambdaContext = () => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: "user-iam-production-ApiFunction",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:user-iam-production-ApiFunction",
  memoryLimitInMB: "1024",
  awsRequestId: randomUUID(),
  logGroupName: "/aws/lambda/user-iam-production-ApiFunction",
  logStreamName: "2025/11/25/[$LATEST]0123456789abcdef0123456789abcdef",
  getRemainingTimeInMillis: () => 20_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

describe("Lambda bundle (the directory infra/api.ts gives SST to ship)", () => {
  let handler: Handler;
  let dir: string;
  let outfile: string;
  let metafile: Metafile;

  beforeAll(async () => {
    const { registry, uninstall } = await evaluateConfig("production");
    uninstall();
    const fn = registry.find((c) => c.type === "sst.aws.Function" && c.logicalName === "Api");
    if (!fn) throw new Error("infra declares no Api function");
    // SST takes `bundle` as a directory and `handler` as `file.export` inside it.
    dir = await (fn.args.bundle as Promise<string>);
    const [file, exportName] = (fn.args.handler as string).split(".") as [string, string];
    expect(exportName).toBe("handler");
    outfile = join(dir, `${file}.mjs`);
    // The same build's metafile (infra/api.ts keeps the build's result beside the directory it names).
    const { apiBuild } = await import("../infra/api.ts");
    const built = await apiBuild;
    expect(built.dir).toBe(dir);
    metafile = built.metafile;
    const mod: Record<string, unknown> = await import(/* @vite-ignore */ pathToFileURL(outfile).href);
    handler = mod[exportName] as Handler;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("builds an ESM entry and chunks, each with a linked source map, and reports their size", () => {
    const js = Object.keys(metafile.outputs).filter((o) => o.endsWith(".mjs"));
    const bytes = js.reduce((sum, o) => sum + (metafile.outputs[o]?.bytes ?? 0), 0);
    const inputs = Object.keys(metafile.inputs).length;
    console.log(`Api bundle: ${(bytes / 1024).toFixed(0)} KiB in ${js.length} files (${inputs} inputs)`);
    expect(statSync(outfile).size).toBeGreaterThan(0);
    expect(readFileSync(outfile, "utf8")).toMatch(/\/\/# sourceMappingURL=handler\.mjs\.map\s*$/);
    for (const o of js)
      expect(statSync(`${o.replace(/^.*?(?=chunks\/|handler\.mjs)/, `${dir}/`)}.map`).size).toBeGreaterThan(0);
  });

  it("leaves Cognito's, S3's, SQS's and EventBridge's SDK clients out of what a cold start loads", () => {
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((o) => o.endsWith("/handler.mjs"));
    const cold = new Set<string>();
    const visit = (o: string | undefined) => {
      if (!o || cold.has(o)) return;
      cold.add(o);
      for (const i of outputs[o]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
    };
    visit(entry);
    const coldInputs = [...cold].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}));
    expect(coldInputs.some((p) => p.includes("@aws-sdk/client-dynamodb/"))).toBe(true);
    for (const client of ["client-cognito-identity-provider", "client-s3", "client-sqs", "client-eventbridge"]) {
      expect(coldInputs.filter((p) => p.includes(`@aws-sdk/${client}/`))).toEqual([]);
      expect(Object.keys(metafile.inputs).some((p) => p.includes(`@aws-sdk/${client}/`))).toBe(true);
    }
  });

  it("loads the Cognito chunk when a route first needs it: a login with a wrong password is a 401", async () => {
    const event = getEvent("/auth/login", { "x-api-key": apiKey(), "content-type": "application/json" });
    event.requestContext.http.method = "POST";
    const body = JSON.stringify({ email: `nobody.${randomUUID()}@example.com`, password: "Wrong-Password-1" });
    const res = await handler({ ...event, body }, lambdaContext());
    expect(res.statusCode).toBe(401);
  });

  it("bundles every package, the AWS SDK included: the directory holds no node_modules but /docs' files", () => {
    const builtin = (p: string) => p.startsWith("node:") || builtinModules.includes(p.split("/")[0] ?? p);
    const external = new Set(
      Object.values(metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external).map((imp) => imp.path)),
    );
    // `<runtime>` is esbuild's own helper module, not a package; ./openapi.json the document shipped next to the handler.
    const packages = [...external].filter((p) => !builtin(p) && !p.startsWith("<") && p !== "./openapi.json");
    expect(packages).toEqual([]);
    expect(readdirSync(join(dir, "node_modules"))).toEqual(["swagger-ui-dist"]);
    expect(Object.keys(metafile.inputs).some((p) => p.includes("@aws-sdk/client-dynamodb"))).toBe(true);
  });

  it("exports a handler that answers GET /health from a recorded API Gateway v2 event", async () => {
    expect(typeof handler).toBe("function");
    const res = await handler(healthEvent, lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: "ok" });
  });

  it("serves an authenticated route against the local stack: unknown user → 404 NOT_FOUND", async () => {
    const res = await handler(getEvent(`/user/${randomUUID()}`, { "x-api-key": apiKey() }), lambdaContext());
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects a wrong API key with 401", async () => {
    const res = await handler(getEvent(`/user/${randomUUID()}`, { "x-api-key": "iam_wrong_key" }), lambdaContext());
    expect(res.statusCode).toBe(401);
  });

  it("serves the committed OpenAPI document with the API's own domain as its server, generating nothing at run time", async () => {
    const res = await handler(getEvent("/openapi.json"), lambdaContext());
    expect(res.statusCode).toBe(200);
    const served = JSON.parse(res.body) as { servers: unknown };
    expect(served.servers).toEqual([
      { url: `https://${healthEvent.requestContext.domainName}`, description: expect.any(String) },
    ]);
    const committed = JSON.parse(readFileSync(join(root, "packages/client/openapi.json"), "utf8")) as {
      servers: unknown;
    };
    expect({ ...served, servers: committed.servers }).toEqual(committed);
    // The build-time generator (packages/functions/src/openapi.ts) is not in the bundle.
    expect(Object.keys(metafile.inputs).filter((p) => p.endsWith("functions/src/openapi.ts"))).toEqual([]);
    // Nor is the document itself: it is the file shipped next to the handler, read on first request.
    expect(Object.keys(metafile.inputs).filter((p) => p.endsWith("client/openapi.json"))).toEqual([]);
    expect(readFileSync(join(dir, "openapi.json"), "utf8")).toBe(
      readFileSync(join(root, "packages/client/openapi.json"), "utf8"),
    );
  });

  it("serves /docs with swagger-ui-dist's files shipped next to the handler", async () => {
    const page = await handler(getEvent("/docs"), lambdaContext());
    expect(page.statusCode).toBe(200);
    const css = await handler(getEvent("/docs/assets/swagger-ui.css"), lambdaContext());
    expect(css.statusCode).toBe(200);
    expect(css.headers?.["content-type"]).toMatch(/text\/css/);
  });
});
