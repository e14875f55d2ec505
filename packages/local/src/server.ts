import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { StartError } from "./emulators.ts";

/**
 * Serves the same HTTP app the Lambda handler wraps. Call after the stack's environment is in
 * `process.env`: the app reads its configuration through `Resource` on first use.
 */
export const startServer = async (
  port: number,
  hostname = "127.0.0.1",
): Promise<{ url: string; close: () => Promise<void> }> => {
  const { createApp } = await import("@iam/functions/app");
  const app = createApp({ sourceIp: (c) => getConnInfo(c).remote.address });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname }, () => resolve(s));
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new StartError(`Port ${port} is taken: stop what uses it or run PORT=${port + 1} npm start.`)
          : e,
      ),
    );
  });
  return {
    url: `http://${hostname}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
