import { Agent, request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { apiKey, baseUrl } from "./helpers.ts";

/**
 * An early 413 must not poison the client's connection: the server either closes it cleanly
 * (`Connection: close`) or reads the body to its end; the client's next request on the same pool works.
 * Over a real socket (the shared server), with one keep-alive socket so both requests share it.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** `chunks` are written one by one (chunked transfer encoding) unless a content-length is given. */
const send = (
  method: string,
  path: string,
  chunks: Buffer[] = [],
  headers: Record<string, string> = {},
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl());
    const req = request(url, { method, agent, headers: { "x-api-key": apiKey(), ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    // The server may answer and close before the whole body is sent: that write error is expected.
    req.on("error", (e: NodeJS.ErrnoException) =>
      ["EPIPE", "ECONNRESET"].includes(e.code ?? "") ? undefined : reject(e),
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer`)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });

describe("413 on a keep-alive connection", () => {
  it.each([
    ["with a content-length", (big: Buffer) => ({ "content-length": String(big.length) })],
    ["chunked", () => ({})],
  ])(
    "answers a 3 MiB body (%s) with 413 and Connection: close, and the next request on the pool succeeds",
    async (_, length) => {
      const big = Buffer.alloc(3 * 1024 * 1024, "x");
      const chunks = Array.from({ length: 48 }, (_, i) => big.subarray(i * 65536, (i + 1) * 65536));
      const tooLarge = await send("POST", "/user", chunks, { "content-type": "application/json", ...length(big) });
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      expect(tooLarge.headers.connection).toBe("close");
      for (let i = 0; i < 3; i++) {
        const next = await send("GET", "/health");
        expect(next.status).toBe(200);
        expect(JSON.parse(next.body)).toEqual({ status: "ok" });
      }
    },
  );
});
