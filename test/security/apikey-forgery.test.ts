import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamo } from "@iam/core/testing";
import { createApp } from "@iam/functions/app";
import { createKey } from "./keys.ts";

/**
 * Forged API keys must cost the service nothing: counted with an SDK middleware on the service's
 * DynamoDB client, driving the app in-process.
 */
const reads: string[] = [];
const MIDDLEWARE = "count-key-lookups";
beforeAll(() => {
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      reads.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: MIDDLEWARE },
  );
});
afterAll(() => {
  dynamo().middlewareStack.remove(MIDDLEWARE);
});

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL = `${ALNUM}-_`;
const random = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

/**
 * A random key of exactly the shape of a real one: `iam_`, then as many id characters as a real
 * key has before its `_`, then a secret as long as a real one's. Only the MAC can tell it apart.
 */
const lookalike = (real: string) => {
  const id = real.slice(4, real.indexOf("_", 4));
  const secret = real.slice(real.indexOf("_", 4) + 1);
  return `iam_${random(ALNUM, id.length)}_${random(B64URL, secret.length)}`;
};

describe("forged API keys", () => {
  const app = createApp();
  const probe = (key: string) => app.request(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": key } });

  it("1,000 random keys shaped like real ones: all 401, and 0 DynamoDB requests", async () => {
    const { apiKey } = await createKey(["read"]);
    expect((await probe(apiKey)).status).toBe(404); // the real one works (control)
    reads.length = 0;
    const statuses = new Set<number>();
    for (let i = 0; i < 1000; i++) statuses.add((await probe(lookalike(apiKey))).status);
    expect([...statuses]).toEqual([401]);
    expect(reads).toEqual([]);
  });

  it("a key whose id is real but whose MAC is not is refused without a read; so is a key in the old format", async () => {
    const { apiKey, keyId } = await createKey(["read"]);
    const secret = apiKey.slice(apiKey.indexOf("_", 4) + 1);
    reads.length = 0;
    expect((await probe(`iam_${keyId}${random(ALNUM, 16)}_${secret}`)).status).toBe(401);
    expect((await probe(`iam_${keyId}_${secret}`)).status).toBe(401); // keys issued before key ids carried a MAC
    expect(reads).toEqual([]);
  });
});
