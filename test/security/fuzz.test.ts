import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { openApiDocument } from "@iam/functions/openapi";
import { apiKey } from "../helpers.ts";
import { PROTOTYPE_KEYS } from "../support/odd-keys.ts";

/**
 * Property-based inputs for every REST operation of the OpenAPI document: arbitrary path
 * parameters, query strings, bodies (valid JSON of any shape, broken JSON, wrong content types)
 * and credentials. Properties: never a 5xx, never an internal detail in the body.
 * FUZZ_RUNS sets the runs per operation (default 1000; `npm run fuzz` uses 10000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const LEAK = /"stack"|node_modules|\.ts:\d+|at [\w.<>]+ \(|Error:|Exception/;

const operations = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
  Object.keys(item as object).map((method) => ({ method: method.toUpperCase(), path })),
);

const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom(
    "",
    "@",
    "%40x",
    "..",
    "%2F",
    "null",
    "-1",
    "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
    "ADMIN",
    "MENTOR",
    "access",
    "id",
  ),
);
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "x";
  }
};
/** Object keys, with those that trip naive code (prototype members; JSON.parse keeps `__proto__` as an own key). */
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTOTYPE_KEYS));
/** A JSON object as text, so that a `__proto__` key reaches the wire as a key. */
const objectText = fc
  .array(fc.tuple(key, fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
const body = fc.oneof(
  objectText,
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 80 }),
  fc.constant(""),
);
const headers = fc.record({
  "x-api-key": fc.oneof(fc.constant(""), fc.constant("VALID"), fc.string({ maxLength: 40 })),
  authorization: fc.oneof(
    fc.constant(""),
    fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
  ),
  "content-type": fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
  ),
});

describe("fuzz: every REST operation", () => {
  const app = createApp();
  it("lists the operations it fuzzes", () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}: no 5xx, no internals (${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(text, { minLength: 4, maxLength: 4 }),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          body,
          headers,
          async (params, query, payload, hdrs) => {
            let i = 0;
            const path = op.path.replace(/\{\w+\}/g, () => encode(params[i++] ?? ""));
            const qs = new URLSearchParams(query).toString();
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(hdrs)) if (v) h[k] = k === "x-api-key" && v === "VALID" ? apiKey() : v;
            const hasBody = ["POST", "PUT", "PATCH"].includes(op.method);
            let res: Response;
            try {
              res = await app.request(`${path}${qs ? `?${qs}` : ""}`, {
                method: op.method,
                headers: h,
                body: hasBody ? payload : undefined,
              });
            } catch (e) {
              // A request the Fetch API itself refuses to build (e.g. an invalid header value) never reaches us.
              if (e instanceof TypeError) return true;
              throw e;
            }
            const out = await res.text();
            if (res.status >= 500 || LEAK.test(out))
              throw new Error(`${op.method} ${path} → ${res.status} ${out.slice(0, 300)}`);
            return true;
          },
        ),
        { numRuns: RUNS },
      );
    }, 600_000);
  }
});
