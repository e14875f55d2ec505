/**
 * The Lambda bundle works: the handler is built the way SST 4 builds a Node.js function (esbuild
 * settings from SST's pkg/runtime/node/build.go, options from the `Api` function in infra/api.ts),
 * then the built file is imported by Node itself and invoked with an API Gateway v2 event against
 * the local stack. It proves the bundle resolves, loads and serves; it does not measure speed.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { mkdir, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "./helpers.ts";
import { SST_BANNER, SST_FORCE_EXTERNAL } from "../infra/esbuild.ts";
import { evaluateConfig } from "./fixtures/sst-globals.ts";

const root = join(import.meta.dirname, "..");
/**
 * Under the repository's node_modules (git-ignored, like other tool caches): the installed
 * externals resolve from there as they would from the function's own node_modules, and vitest
 * leaves files in node_modules to Node, so the bundle is loaded natively, as Lambda loads it.
 */
const outDir = join(root, "node_modules", ".cache", "bundle-test", randomUUID());

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

describe("Lambda bundle (built as SST builds it)", () => {
  let handler: Handler;
  let outfile: string;
  let metafile: Metafile;
  let installed: string[];

  beforeAll(async () => {
    // What infra/api.ts asks SST to build.
    const { registry, uninstall } = await evaluateConfig("production");
    uninstall();
    const fn = registry.find((c) => c.type === "sst.aws.Function" && c.logicalName === "Api");
    if (!fn) throw new Error("infra declares no Api function");
    const [entry, exportName] = (fn.args.handler as string).split(".") as [string, string];
    const nodejs = fn.args.nodejs as {
      minify: boolean;
      sourcemap: boolean;
      install: Record<string, string> | string[];
    };
    const install = Array.isArray(nodejs.install) ? nodejs.install : Object.keys(nodejs.install);
    expect(exportName).toBe("handler");
    installed = install;

    await mkdir(outDir, { recursive: true });
    outfile = join(outDir, "handler.mjs");
    const result = await build({
      entryPoints: [join(root, `${entry}.ts`)],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      // SST builds for ESNext unless `nodejs.esbuild.target` is set; Lambda's Node 22 runs it.
      target: "esnext",
      mainFields: ["module", "main"],
      keepNames: true,
      minify: nodejs.minify,
      sourcemap: nodejs.sourcemap ? "linked" : false,
      banner: { js: SST_BANNER },
      external: [...SST_FORCE_EXTERNAL, ...install],
      metafile: true,
      logLevel: "silent",
      write: true,
    });
    metafile = result.metafile;
    const mod: Record<string, unknown> = await import(/* @vite-ignore */ pathToFileURL(outfile).href);
    handler = mod[exportName] as Handler;
  }, 120_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    // Then the parents, only if empty (another run, or another tool's cache, may be using them).
    for (const dir of [dirname(outDir), dirname(dirname(outDir))]) await rmdir(dir).catch(() => {});
  });

  it("builds into one ESM file with a linked source map, and reports its size", () => {
    const bytes = statSync(outfile).size;
    const map = statSync(`${outfile}.map`).size;
    const inputs = Object.keys(metafile.inputs).length;
    console.log(
      `Api bundle: ${(bytes / 1024).toFixed(0)} KiB (${inputs} inputs), source map ${(map / 1024).toFixed(0)} KiB`,
    );
    expect(bytes).toBeGreaterThan(0);
    expect(readFileSync(outfile, "utf8")).toMatch(/\/\/# sourceMappingURL=handler\.mjs\.map\s*$/);
  });

  it("bundles the AWS SDK and leaves out only what the function installs", () => {
    const builtin = (p: string) => p.startsWith("node:") || builtinModules.includes(p.split("/")[0] ?? p);
    const external = new Set(
      Object.values(metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external).map((imp) => imp.path)),
    );
    // `<runtime>` is esbuild's own helper module, not a package.
    const packages = [...external].filter((p) => !builtin(p) && !p.startsWith("<"));
    expect(
      packages.every((p) => installed.some((name) => p === name || p.startsWith(`${name}/`))),
      packages.join(),
    ).toBe(true);
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
    expect(Object.keys(metafile.inputs).filter((p) => p.endsWith("client/openapi.json"))).toHaveLength(1);
  });

  it("serves /docs with swagger-ui-dist resolved from node_modules at run time", async () => {
    const page = await handler(getEvent("/docs"), lambdaContext());
    expect(page.statusCode).toBe(200);
    const css = await handler(getEvent("/docs/assets/swagger-ui.css"), lambdaContext());
    expect(css.statusCode).toBe(200);
    expect(css.headers?.["content-type"]).toMatch(/text\/css/);
  });
});
