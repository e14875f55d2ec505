import type { BuildOptions, Plugin } from "esbuild";
import { SST_BANNER, SST_FORCE_EXTERNAL } from "../../infra/esbuild.ts";

/**
 * How SST 4 bundles the `Api` function (infra/api.ts: minify, linked source map, swagger-ui-dist
 * installed next to the bundle rather than bundled), as test/bundle.test.ts reproduces it, with
 * Lambda's Node 22 as the target. The source map is written but not counted in the size.
 */
export const LAMBDA_BANNER = SST_BANNER;

export const lambdaBuildOptions = (entry: string, outfile: string): BuildOptions & { metafile: true } => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  mainFields: ["module", "main"],
  keepNames: true,
  minify: true,
  sourcemap: "linked",
  banner: { js: LAMBDA_BANNER },
  // SST always leaves out native addons; the function installs swagger-ui-dist (read at run time).
  external: [...SST_FORCE_EXTERNAL, "swagger-ui-dist"],
  metafile: true,
  logLevel: "warning",
  write: true,
});

/**
 * What-if only, never production: replaces the imports that bench/lib/metafile.ts finds unneeded
 * with empty CommonJS modules, to show what cutting them would buy in size and cold start.
 */
export const trimUnneeded: Plugin = {
  name: "bench-trim-unneeded",
  setup(b) {
    const stub = (args: { path: string }) => ({ path: args.path, namespace: "bench-stub" });
    b.onResolve({ filter: /^(co-body|yaml|pino-pretty)$/ }, stub);
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes("/zod/") ? stub(args) : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "bench-stub" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};
