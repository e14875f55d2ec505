import { createHmac, hkdfSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resource } from "sst/resource";
import { afterEach, describe, expect, it } from "vitest";
import { Config } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { StartError } from "@iam/local/emulators";
import { rememberedSecret, startStack } from "@iam/local/stack";
import { apiKey } from "../helpers.ts";

const app = createApp();
const list = async (query: string) => {
  const res = await app.request(`/user?${query}`, { headers: { "x-api-key": apiKey() } });
  return { status: res.status, json: (await res.json()) as { nextCursor?: string | null; message?: string } };
};

describe("the directory cursor's MAC key is a secret of its own", () => {
  it("a cursor forged with a key derived from the bootstrap API key is refused", async () => {
    // As cursors were made before: HMAC under HKDF(bootstrap key); a `read` caller could test guesses of it offline.
    const key = Buffer.from(hkdfSync("sha256", Config.bootstrapApiKey, "iam", "directory-cursor/v1", 32));
    const payload = Buffer.from(
      JSON.stringify(["1970-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"]),
    ).toString("base64url");
    const query = JSON.stringify(["CONFIRMED", null]);
    const forged = `${payload}.${createHmac("sha256", key).update(`${payload}\n${query}`).digest("base64url")}`;
    const res = await list(`status=CONFIRMED&limit=1&cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/cursor/i);
  });

  it("a real cursor still works (control)", async () => {
    const first = await list("limit=1");
    expect(first.status).toBe(200);
    if (first.json.nextCursor) expect((await list(`limit=1&cursor=${first.json.nextCursor}`)).status).toBe(200);
    expect(Config.cursorSecret).not.toBe(Config.bootstrapApiKey);
  });
});

describe("the bootstrap API key must be strong", () => {
  const raw = Resource as unknown as Record<string, unknown>;
  const configured = raw.IamApiKey;
  afterEach(() => {
    raw.IamApiKey = configured;
  });

  it("the service refuses one shorter than 32 characters, with a one-line error saying how to make one", async () => {
    raw.IamApiKey = { value: "iam_short_key", type: "sst.sst.Secret" };
    let message = "";
    try {
      void Config.bootstrapApiKey;
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/at least 32 characters/);
    expect(message).toMatch(/randomBytes|openssl/);
    expect(message).not.toContain("\n");
    // Nobody gets in with it.
    const res = await app.request(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": "iam_short_key" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).not.toBe(404);
  });

  it("npm start refuses a weak IAM_API_KEY (or a weak key in the data folder) before starting anything", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "iam-weak-key-"));
    /** The error startStack fails with; a stack that starts anyway is stopped at once (and fails the test). */
    const refusal = (options: Parameters<typeof startStack>[0]) =>
      startStack(options).then(
        async (stack) => {
          await stack.stop();
          return new Error("started with a weak key");
        },
        (e: unknown) => e as Error,
      );
    try {
      const given = await refusal({ dataDir, apiKey: "letmein" });
      expect(given).toBeInstanceOf(StartError);
      expect(given.message).toMatch(/at least 32 characters/);
      await writeFile(join(dataDir, "api-key"), "iam_weak");
      const kept = await refusal({ dataDir });
      expect(kept).toBeInstanceOf(StartError);
      expect(kept.message).toMatch(/at least 32 characters/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("the local stack generates each secret once, strong, and keeps it in the data folder", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "iam-secrets-"));
    try {
      const first = await rememberedSecret(dataDir, "cursor-secret");
      expect(first.length).toBeGreaterThanOrEqual(43);
      expect(await rememberedSecret(dataDir, "cursor-secret")).toBe(first);
      expect((await readFile(join(dataDir, "cursor-secret"), "utf8")).trim()).toBe(first);
      expect(await rememberedSecret(dataDir, "key-id-secret")).not.toBe(first);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
