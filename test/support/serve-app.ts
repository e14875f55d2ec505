/**
 * The HTTP app as its own process, for tests that must kill it (`kill -9`) or point it at a stack
 * of their own: the configuration comes from the environment the parent gives it, exactly as
 * `npm start` passes it. Prints one line, `listening <url>`, once it serves.
 */
import getPort from "get-port";
import { startServer } from "@iam/local/server";

const port = Number(process.env.PORT) || (await getPort());
const server = await startServer(port);
process.stdout.write(`listening ${server.url}\n`);
