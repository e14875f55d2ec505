import { mkdir, readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rollup, type Plugin } from "rollup";
import { dts } from "rollup-plugin-dts";

/**
 * `npm run build` (and `prepack`): the package as it is published, in dist/.
 * - dist/index.js: the client as one ES module. Packages stay imports (`@trpc/client`,
 *   `openapi-fetch`); the router is imported for its type only, so no server code is in it.
 * - dist/index.d.ts: every type of the package in one file, the router's included: the server
 *   sources' declarations are inlined (tsconfig.build.json maps @iam/* to them), so a consumer
 *   needs none of @iam/*, zod, hono, the AWS SDK… Only `@trpc/server` (tRPC's router types, a
 *   peer dependency), `@trpc/client` and `openapi-fetch` stay imports; the build fails otherwise.
 *
 * `--js` (`npm run build:js`) writes dist/index.js only, in well under a second: that is what this
 * repository's tests and example run (their type checking reads src/ through the root tsconfig's
 * `paths`), so `npm test` builds that much first.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const ENTRY = here("../src/index.ts");
const DIST = here("../dist");
const PUBLISHED_IMPORTS = new Set(["@trpc/client", "@trpc/server", "openapi-fetch"]);

/**
 * Writes a file only when its content changes. `npm pack` runs this build (prepack) while other
 * test files, and the example's Vite dev server with its file watcher, use dist/index.js: an
 * identical rebuild must not look like a change to them.
 */
const emit = async (file: string, content: string) => {
  const path = `${DIST}/${file}`;
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== content) await writeFile(path, content);
  console.log(`${current === content ? "unchanged" : "wrote"} ${relative(process.cwd(), path)}`);
};

/** The server types its procedure meta with trpc-to-openapi's (zod-typed) `OpenApiMeta`: see the file. */
const openapiMetaStandIn: Plugin = {
  name: "openapi-meta-stand-in",
  resolveId: (source) => (source === "trpc-to-openapi" ? here("./openapi-meta.d.ts") : null),
};

await mkdir(DIST, { recursive: true });

const js = await build({
  entryPoints: [ENTRY],
  outfile: `${DIST}/index.js`,
  write: false,
  bundle: true,
  packages: "external",
  format: "esm",
  platform: "neutral",
  // What the package's users run: evergreen browsers, Node ≥ 20.
  target: "es2022",
  logLevel: "warning",
});
await emit("index.js", js.outputFiles.map((file) => file.text).join(""));
if (process.argv.includes("--js")) process.exit(0);

const types = await rollup({
  input: ENTRY,
  plugins: [
    openapiMetaStandIn,
    // rollup-plugin-dts runs the TypeScript 5 this package pins: it needs the compiler API, which
    // the root's TypeScript 7 does not have. `noCheck`: the root's `npm run typecheck` checks these
    // sources; this program only has to emit their declarations (checking them again costs ~10 s).
    dts({ tsconfig: here("../tsconfig.build.json"), compilerOptions: { noCheck: true } }),
  ],
});
const { output } = await types.generate({ format: "es" });
await types.close();

const [chunk, ...more] = output;
if (chunk?.type !== "chunk" || more.length > 0) throw new Error("the declarations should bundle to one file");
const unexpected = chunk.imports.filter((name) => !PUBLISHED_IMPORTS.has(name));
if (unexpected.length > 0) {
  throw new Error(`dist/index.d.ts imports ${unexpected.join(", ")}: a consumer would need those packages' types`);
}
await emit("index.d.ts", chunk.code);
