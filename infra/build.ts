/**
 * The one build of the `Api` function: infra/api.ts hands its output directory to SST (`bundle`),
 * test/bundle.test.ts invokes that artifact, and bench/ measures it. SST's own esbuild step does
 * not run for it (SST 4 zips a `bundle` directory as it is and adds its `resource.enc` for the
 * links), so this file owns what SST would have added: the ESM banner, native addons left out,
 * and swagger-ui-dist's files next to the bundle (what `nodejs.install` did) for `/docs`.
 *
 * Lean, because the size of the code is what a cold start pays for (V8 parses and compiles it):
 * - zod's locales other than English are not shipped (the service sets no other locale);
 * - credentials come from the environment only, which is where the Lambda runtime puts the
 *   function's role credentials; the SDK's default chain (SSO, ini files, IMDS, web identity…)
 *   and the nested clients it brings are not shipped;
 * - ElectroDB does not re-validate each entity model with jsonschema at cold start: the models
 *   are constants of the code, validated by ElectroDB whenever the test suite loads core (which
 *   runs unbundled), so the bundle skips a check whose answer cannot change; and so jsonschema,
 *   which ElectroDB loads for that check only, is not shipped either (a stand-in that throws if
 *   anything ever asks it to validate).
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";

/** What SST 4 adds when it bundles a Node function (pkg/runtime/node/build.go): `require`, `__filename`, `__dirname`. */
export const SST_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

/** Always left out by SST (native addons). */
export const SST_FORCE_EXTERNAL = ["sharp", "pg-native"];

/** The Lambda's source entry and, inside the built directory, its handler (`file.export`, as SST takes it). */
export const API_ENTRY = "packages/functions/src/handler.ts";
export const API_HANDLER = "handler.handler";

/** Lambda's runtime (infra/api.ts `runtime: "nodejs22.x"`). */
export const API_TARGET = "node22";

/** The committed OpenAPI document (packages/client/openapi.json), shipped next to the handler. */
const OPENAPI_FILE = "openapi.json";

/** The files `/docs` reads from swagger-ui-dist at run time (packages/functions/src/docs.ts). */
const DOCS_FILES = ["package.json", "LICENSE", "swagger-ui.css", "swagger-ui-bundle.js"];

/**
 * The repository: SST evaluates infra/ from the project root (as infra/api.ts reads
 * packages/functions/package.json), after bundling it elsewhere, so `import.meta` would mislead.
 */
const root = process.cwd();

/** The SDK's default credential chain, reduced to the environment's provider. */
const ENV_CREDENTIALS = `
import { fromEnv } from "@aws-sdk/credential-provider-env";
export const credentialsWillNeedRefresh = (c) => c?.expiration !== undefined;
export const credentialsTreatedAsExpired = (c) =>
  c?.expiration !== undefined && c.expiration.getTime() - Date.now() < 300000;
export const defaultProvider = (init = {}) => {
  const read = fromEnv(init);
  let pending;
  const load = () => (pending = read().catch((e) => { pending = undefined; throw e; }));
  return async () => {
    const c = await (pending ?? load());
    return credentialsTreatedAsExpired(c) ? load() : c;
  };
};
`;

/** jsonschema's stand-in: ElectroDB's model validation is not in the bundle (see above). */
const NO_JSONSCHEMA = `
class Validator {
  addSchema() {}
  validate() {
    throw new Error("ElectroDB model validation is not in this bundle (infra/build.ts): the test suite validates every model");
  }
}
// ElectroDB adds its formats here at load.
Validator.prototype.customFormats = {};
module.exports.Validator = Validator;
`;

const lean: Plugin = {
  name: "iam-lean",
  setup(b) {
    // zod: `export * as locales from "../locales/index.js"` — every language's messages. English
    // (../locales/en.js, the default) is imported on its own and stays.
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/zod/") ? { path: args.path, namespace: "iam-empty" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "iam-empty" }, () => ({ contents: "export {};", loader: "js" }));
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({
      path: "credential-provider-node",
      namespace: "iam-env-credentials",
      pluginData: { resolveDir: dirname(createRequire(join(args.resolveDir, "x.js")).resolve(args.path)) },
    }));
    b.onLoad({ filter: /.*/, namespace: "iam-env-credentials" }, (args) => ({
      contents: ENV_CREDENTIALS,
      loader: "js",
      resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
    }));
    // ElectroDB's validations.js builds a jsonschema Validator at load (its model schemas added)
    // and calls it only from the model check skipped below and from `createSchema`, which core
    // does not use.
    b.onResolve({ filter: /^jsonschema$/ }, (args) =>
      /electrodb[\\/]src[\\/]validations\.js$/.test(args.importer)
        ? { path: "jsonschema", namespace: "iam-no-jsonschema" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "iam-no-jsonschema" }, () => ({
      contents: NO_JSONSCHEMA,
      loader: "js",
    }));
    // The OpenAPI document is data, read on the first /openapi.json request (openapi-serve.ts):
    // shipped as the file next to the handler rather than as a 68 kB literal every cold start parses.
    b.onResolve({ filter: /[\\/]client[\\/]openapi\.json$/ }, (args) =>
      args.importer.endsWith("openapi-serve.ts") ? { path: `./${OPENAPI_FILE}`, external: true } : undefined,
    );
    b.onLoad({ filter: /electrodb[\\/]src[\\/]entity\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const call = "this._validateModel(model);";
      if (!source.includes(call))
        throw new Error(`electrodb's entity.js no longer has "${call}": review the lean build`);
      return { contents: source.replace(call, ""), loader: "js" };
    });
  },
};

export type BuildApiOptions = {
  /** The directory SST zips (emptied first); default: a new one under .sst/artifacts/. */
  outDir?: string;
  /** Another entry (the bench's baselines); default: the Api's. */
  entry?: string;
  /** Left out: the directory holds the handler's JavaScript only (the bench measures it so). */
  docs?: boolean;
  minify?: boolean;
  sourcemap?: boolean;
};

/** `outfile` is the entry; `files` every JavaScript file of the directory (the entry and its chunks). */
export type BuiltApi = { dir: string; handler: string; outfile: string; files: string[]; metafile: Metafile };

/** Builds the Api function's directory: handler.mjs and chunks/ (+ .map), openapi.json, and swagger-ui-dist's files for /docs. */
export const buildApi = async (options: BuildApiOptions = {}): Promise<BuiltApi> => {
  let dir: string;
  if (options.outDir) {
    dir = resolve(root, options.outDir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  } else {
    // A fresh directory per build: two evaluations of the config (tests run several at once)
    // never write into each other's.
    await mkdir(join(root, ".sst", "artifacts"), { recursive: true });
    dir = await mkdtemp(join(root, ".sst", "artifacts", "api-"));
  }
  const outfile = join(dir, `${API_HANDLER.split(".")[0]}.mjs`);
  const { metafile } = await build({
    entryPoints: [resolve(root, options.entry ?? API_ENTRY)],
    absWorkingDir: root,
    // ESM code splitting: what is imported dynamically (the Cognito, S3, SQS and EventBridge
    // adapters, adapters/cognito.ts) goes in chunks/ and is read only when first called; the
    // entry and what it imports statically are all a cold start parses.
    outdir: dir,
    entryNames: API_HANDLER.split(".")[0],
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: API_TARGET,
    mainFields: ["module", "main"],
    keepNames: true,
    minify: options.minify ?? true,
    sourcemap: (options.sourcemap ?? true) ? "linked" : false,
    banner: { js: SST_BANNER },
    external: SST_FORCE_EXTERNAL,
    plugins: [lean],
    metafile: true,
    logLevel: "warning",
  });
  await cp(join(root, "packages/client", OPENAPI_FILE), join(dir, OPENAPI_FILE));
  if (options.docs ?? true) {
    const from = dirname(
      createRequire(join(root, "packages/functions/package.json")).resolve("swagger-ui-dist/package.json"),
    );
    const to = join(dir, "node_modules", "swagger-ui-dist");
    await mkdir(to, { recursive: true });
    for (const file of DOCS_FILES) await cp(join(from, file), join(to, file));
  }
  // Node reads handler.mjs as ESM whatever the directory; this keeps any other .js file so too.
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  const files = Object.keys(metafile.outputs)
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => resolve(root, f));
  return { dir, handler: API_HANDLER, outfile, files, metafile };
};
