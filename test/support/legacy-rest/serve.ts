/**
 * main's REST adapter (app.ts here) as its own process, on the stack its parent gives it in the
 * environment. Its own process because trpc-to-openapi's adapter mutates the procedures' input
 * schemas (it sets `coerce` on their number fields): in the test's process that would change what
 * the route table under comparison accepts. Prints `listening <url>` once it serves.
 */
import { serve } from "@hono/node-server";
import getPort from "get-port";
import { createLegacyRestApp } from "./app.ts";

const port = await getPort();
const app = createLegacyRestApp();
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () =>
  process.stdout.write(`listening http://127.0.0.1:${port}\n`),
);
