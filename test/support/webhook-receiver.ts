import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. */
export type Received = { headers: Record<string, string>; body: string; at: number };

/** What the receiver answers a request with: a status, or `hang` (never answers: a timeout for the sender). */
export type Answer = number | "hang";

export type Receiver = {
  url: string;
  received: Received[];
  /** Sets how requests are answered from now on (default: 204). */
  answer: (fn: (request: Received, index: number) => Answer) => void;
  /** Resolves with the requests once `predicate` holds for them; rejects after `timeoutMs`. */
  until: (predicate: (received: Received[]) => boolean, timeoutMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
};

const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      typeof v === "string" ? [[k, v]] : Array.isArray(v) ? [[k, v.join(", ")]] : [],
    ),
  );

/** A webhook receiver on 127.0.0.1 for a test: records every request, answers as told. */
export const startReceiver = async (): Promise<Receiver> => {
  const received: Received[] = [];
  let respond: (request: Received, index: number) => Answer = () => 204;
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = { headers: flat(req.headers), body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(request);
      for (const w of waiters) w();
      const answer = respond(request, received.length - 1);
      if (answer === "hang") return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answer: (fn) => {
      respond = fn;
    },
    until: (predicate, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
