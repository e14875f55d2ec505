import { readFileSync } from "node:fs";
import { inject, describe, expect, it } from "vitest";
import { dataFolder, ready, start } from "./npm-start.ts";

/** The local stack is reachable from this machine only, and a malformed request cannot take it down. */

/** Local addresses (hex, as the kernel prints them) of every TCP socket listening on `port`. */
const listeners = (port: number) => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((table) =>
    readFileSync(table, "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === "0A" && cols[1]?.endsWith(`:${hexPort}`)) // 0A: LISTEN
      .map((cols) => cols[1]?.split(":")[0] ?? ""),
  );
};
// 127.0.0.1 as /proc/net/tcp prints it, and as tcp6 prints it for a dual-stack socket (::ffff:127.0.0.1).
const LOOPBACK = new Set(["0100007F", "0000000000000000FFFF00000100007F"]);

describe.runIf(process.platform === "linux")("local stack exposure", () => {
  it("binds every emulator and the API to 127.0.0.1 only", () => {
    const env = inject("stackEnv");
    const urls = {
      dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB,
      cognito: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
      s3: env.AWS_ENDPOINT_URL_S3,
      api: inject("baseUrl"),
    };
    const bound = Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [name, listeners(Number(new URL(url ?? "").port))]),
    );
    for (const addresses of Object.values(bound)) expect(addresses.length).toBeGreaterThan(0);
    expect(Object.entries(bound).filter(([, addresses]) => addresses.some((a) => !LOOPBACK.has(a)))).toEqual([]);
  });
});

describe("the S3 emulator and malformed requests", () => {
  /** A multipart part whose first header line starts with a space: s3rver's old dicer threw on it, uncaught. */
  const CRASHER = '--x\r\n Content-Disposition: form-data; name="a"\r\n\r\n\r\n--x--';
  /** A 1×1 PNG. */
  const PNG = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );

  it("answers an unauthenticated malformed multipart POST, and npm start keeps serving the API and presigned avatar uploads", async () => {
    const dataDir = await dataFolder();
    const stack = await start(dataDir);
    await ready(stack);
    const apiKey = readFileSync(`${dataDir}/api-key`, "utf8").trim();
    const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
      const res = await fetch(`${stack.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          "content-type": "application/json",
          ...(init.token ? { authorization: `Bearer ${init.token}` } : { "x-api-key": apiKey }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, json: (await res.json().catch(() => undefined)) as Record<string, any> };
    };
    const email = "malformed@example.com";
    const password = "Correct-Horse1";
    const registered = await call("/user", { method: "POST", body: { email, name: "malformed_case", password } });
    expect(registered.status).toBe(201);
    expect((await call(`/user/activate/${registered.json.activationCode}`)).status).toBe(200);
    const login = await call("/auth/login", { method: "POST", body: { email, password } });
    expect(login.status).toBe(200);
    const token: string = login.json.accessToken;
    const ticket = await call("/public/user/me/avatar/upload", {
      method: "POST",
      body: { contentType: "image/png" },
      token,
    });
    expect(ticket.status).toBe(200);

    // To the presigned POST's own URL (the bucket), with no credentials at all.
    const crash = await fetch(ticket.json.url, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: CRASHER,
    });
    expect(crash.status).toBeGreaterThanOrEqual(400);
    await crash.arrayBuffer();
    expect(stack.child.exitCode).toBeNull();

    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.json.fields as Record<string, string>)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(PNG)], { type: "image/png" }), "avatar.png");
    expect((await fetch(ticket.json.url, { method: "POST", body: form })).status).toBeLessThan(300);
    const confirmed = await call("/public/user/me/avatar/confirm", {
      method: "POST",
      body: { key: ticket.json.key },
      token,
    });
    expect(confirmed.status).toBe(200);
    const served = await fetch(confirmed.json.profile.profileData.avatarUrl);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);

    stack.child.kill("SIGTERM");
    expect(await stack.exited).toBe(0);
  }, 120_000);
});
