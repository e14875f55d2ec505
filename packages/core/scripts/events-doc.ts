/** `npm run events:doc`: writes the event catalogue into docs/EVENTS.md, between its markers. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CATALOGUE_END, CATALOGUE_START, renderCatalogue } from "../src/events/doc.ts";

const file = fileURLToPath(new URL("../../../docs/EVENTS.md", import.meta.url));
const text = readFileSync(file, "utf8");
const start = text.indexOf(CATALOGUE_START);
const end = text.indexOf(CATALOGUE_END);
if (start < 0 || end < start)
  throw new Error(`docs/EVENTS.md needs the markers:\n${CATALOGUE_START}\n${CATALOGUE_END}`);
writeFileSync(file, text.slice(0, start) + renderCatalogue() + text.slice(end + CATALOGUE_END.length));
process.stdout.write(`wrote the catalogue into ${file}\n`);
