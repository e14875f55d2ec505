/**
 * Generates a TypeScript client with @hey-api/openapi-ts, as a team outside this repository would:
 * `tsx test/support/hey-api-generate.ts <openapi.json> <output dir>`. Run as its own process by
 * test/generated-client.test.ts.
 *
 * The one workaround: hey-api builds its output with the TypeScript compiler API, and resolves
 * `typescript` from where npm hoisted it, the repository root, whose TypeScript 7 has no compiler
 * API. A resolve hook hands it packages/client's TypeScript 5 instead (npm cannot be told to nest
 * hey-api there: root's TypeScript 7 satisfies its peer range `>=5.5.3`).
 */
import { register } from "node:module";

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error("usage: hey-api-generate.ts <openapi.json> <output dir>");

const typescript5 = new URL("../../packages/client/node_modules/typescript/lib/typescript.js", import.meta.url).href;
const hook = `export const resolve = (specifier, context, next) =>
  specifier === "typescript" ? { url: ${JSON.stringify(typescript5)}, format: "commonjs", shortCircuit: true } : next(specifier, context);`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const { createClient } = await import("@hey-api/openapi-ts");
await createClient({
  input,
  output: { path: output },
  // The defaults (types + SDK functions) and the fetch client, which hey-api copies into the output.
  plugins: ["@hey-api/typescript", "@hey-api/sdk", "@hey-api/client-fetch"],
  logs: { level: "warn", file: false },
});
