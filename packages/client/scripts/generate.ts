import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { ARTIFACTS, renderArtifacts } from "./artifacts.ts";

/** `npm run openapi`: writes packages/client/openapi.json and packages/client/src/rest-types.ts. */
const { json, types } = await renderArtifacts();
await writeFile(ARTIFACTS.json, json);
await writeFile(ARTIFACTS.types, types);
for (const file of Object.values(ARTIFACTS)) console.log(`wrote ${relative(process.cwd(), file)}`);
