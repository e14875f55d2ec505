import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * What a project that uses the client loads at run time: bundle the package's entry the way a
 * front end's bundler would and list the modules that end up in it. (dist/index.js is this entry
 * bundled with packages left as imports; test/client-package.test.ts builds a consumer of it.)
 */
describe("the client package at run time", () => {
  it("loads no server code: types of the router only, no core, zod, hono or AWS SDK", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("./index.ts", import.meta.url))],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "browser",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("packages/client/src/trpc.ts");
    expect(inputs.some((i) => i.includes("node_modules/@trpc/client/"))).toBe(true);
    expect(inputs.some((i) => i.includes("node_modules/openapi-fetch/"))).toBe(true);
    const server = inputs.filter((i) =>
      /packages\/(functions|core|local)\/|node_modules\/(zod|hono|@aws-sdk|electrodb|pino|trpc-to-openapi)\//.test(i),
    );
    expect(server).toEqual([]);
  });
});
