import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { apiKey, baseUrl, registered } from "./helpers.ts";
import { PROTOTYPE_KEYS } from "./support/odd-keys.ts";
import { User } from "@iam/core";

/**
 * The data blob over HTTP with the keys that break naive merges (`__proto__`, `constructor`,
 * `prototype`, `hasOwnProperty`, …): what a PUT or PATCH answers is what a later GET reads, on
 * both transports, and no key vanishes between write and read.
 */
const key = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, "a", "b"),
  fc.string({ minLength: 1, maxLength: 5 }).filter((k) => k !== "id"),
);
const leaf = fc.constantFrom(
  "null",
  "1",
  '"s"',
  "true",
  "[]",
  '{"x":1}',
  '{"__proto__":{"p":1}}',
  '{"hasOwnProperty":null}',
);
/** Body text as a client sends it (built as text: `__proto__` must arrive as a key, as JSON allows). */
const objectText = (value: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(key, value), { maxLength: 5 })
    .map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`);
const body = objectText(fc.oneof(leaf, objectText(leaf)));

const app = createApp();
const send = async (method: string, path: string, text?: string) => {
  const res = await app.request(path, {
    method,
    headers: { "x-api-key": apiKey(), "content-type": "application/json" },
    body: text,
  });
  return { status: res.status, text: await res.text() };
};
/** The `data` member of a user as sent, as JSON text parsed with own keys kept. */
const dataOf = (text: string) => JSON.parse(text).profile.data as Record<string, unknown>;
const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === "object"
      ? Object.keys(v)
          .sort()
          .map((k) => [k, sorted(Object.getOwnPropertyDescriptor(v, k)?.value)])
      : v;

describe("the data blob with any keys", () => {
  it("PUT then PATCH with __proto__, constructor, prototype, hasOwnProperty: answered and read back alike", async () => {
    const { user } = await registered();
    const put = await send(
      "PUT",
      `/user/${user.id}/data/update`,
      '{"__proto__":{"a":1},"constructor":2,"prototype":3,"hasOwnProperty":4,"after":5}',
    );
    expect(put.status).toBe(200);
    expect(sorted(dataOf(put.text))).toEqual(
      sorted(JSON.parse('{"__proto__":{"a":1},"constructor":2,"prototype":3,"hasOwnProperty":4,"after":5}')),
    );
    // A stored `hasOwnProperty` key used to make every later delete fail with 500.
    const patch = await send("PATCH", `/user/${user.id}/data/update`, '{"constructor":null,"__proto__":{"b":2},"x":1}');
    expect(patch.status).toBe(200);
    const expected = JSON.parse('{"__proto__":{"a":1,"b":2},"prototype":3,"hasOwnProperty":4,"after":5,"x":1}');
    expect(sorted(dataOf(patch.text))).toEqual(sorted(expected));
    const read = await send("GET", `/user/${user.id}`);
    expect(sorted(dataOf(read.text))).toEqual(sorted(expected));
    // The same over tRPC.
    const trpc = await fetch(`${baseUrl()}/trpc/user.mergeData`, {
      method: "POST",
      headers: { "x-api-key": apiKey(), "content-type": "application/json" },
      body: `{"id":"${user.id}","__proto__":null,"prototype":{"deep":true}}`,
    });
    expect(trpc.status).toBe(200);
    const viaTrpc = JSON.parse(await trpc.text()).result.data.profile.data;
    const after = JSON.parse('{"prototype":{"deep":true},"hasOwnProperty":4,"after":5,"x":1}');
    expect(sorted(viaTrpc)).toEqual(sorted(after));
    expect(sorted(dataOf((await send("GET", `/user/${user.id}`)).text))).toEqual(sorted(after));
  });

  it("any sequence of PUT/PATCH bodies: never a 5xx, and GET reads exactly the RFC 7396 result", async () => {
    const { user } = await registered();
    const path = `/user/${user.id}/data/update`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("PUT", "PATCH"), body), { minLength: 1, maxLength: 4 }),
        async (steps) => {
          let model: unknown = JSON.parse((await send("GET", `/user/${user.id}`)).text).profile.data;
          for (const [method, text] of steps) {
            const res = await send(method, path, text);
            expect(res.status, `${method} ${text} → ${res.text}`).toBe(200);
            model = method === "PUT" ? JSON.parse(text) : User.applyMergePatch(model, JSON.parse(text));
            expect(sorted(dataOf(res.text)), `${method} ${text}`).toEqual(sorted(model));
          }
          expect(sorted(dataOf((await send("GET", `/user/${user.id}`)).text))).toEqual(sorted(model));
        },
      ),
      { numRuns: 60 },
    );
  });
});
