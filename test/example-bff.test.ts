import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginHandler } from "../examples/web/bff.ts";
import { apiKey, baseUrl, registered, rest } from "./helpers.ts";

/**
 * The example app's BFF signs users in with the machine key: it must pass on the browser's
 * address, or the lockout would count every user of the BFF as one address.
 */
let bff: Server;
let bffUrl = "";
/** The login calls the BFF made, as the service's tRPC endpoint received them. */
const forwarded: unknown[] = [];
let service: Server;

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

beforeAll(async () => {
  // A pass-through in front of the test stack that keeps what the BFF sends.
  service = createServer(async (req, res) => {
    const body = await bodyOf(req);
    if (req.url?.includes("auth.login")) forwarded.push(JSON.parse(body));
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "host"),
    );
    const answer = await fetch(`${baseUrl()}${req.url}`, { method: req.method, headers, body: body || undefined });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(await answer.text());
  });
  const serviceUrl = await listen(service);
  bff = createServer(loginHandler({ iamUrl: serviceUrl, apiKey: apiKey() }));
  bffUrl = await listen(bff);
});
afterAll(() => {
  bff.close();
  service.close();
});

describe("examples/web BFF", () => {
  it("signs a user in and passes the browser's address to the service as clientIp", async () => {
    const { body, user } = await registered();
    expect((await rest(`/user/activate/${user.activationCode}`)).status).toBe(200);
    const res = await fetch(`${bffUrl}/bff/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: body.email, password: body.password }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accessToken: expect.any(String) });
    // httpBatchLink sends `{"0": input}`; the address is the browser's (here, this test's loopback).
    expect(JSON.stringify(forwarded)).toMatch(/"clientIp":"(::ffff:)?127\.0\.0\.1"/);
  });
});
