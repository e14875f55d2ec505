import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMergePatch } from "./merge-patch.ts";

/** RFC 7396, Appendix A: [target, patch, result], as JSON text. */
const RFC_EXAMPLES: [string, string, string][] = [
  ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
  ['{"a":"b"}', '{"a":null}', "{}"],
  ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
  ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
  ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
  ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
  ['["a","b"]', '["c","d"]', '["c","d"]'],
  ['{"a":"b"}', '["c"]', '["c"]'],
  ['{"a":"foo"}', "null", "null"],
  ['{"a":"foo"}', '"bar"', '"bar"'],
  ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
  ["[1,2]", '{"a":"b","c":null}', '{"a":"b"}'],
  ["{}", '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
];

/** The reference model: the RFC's pseudo-code on Maps, which have no prototype to trip over. */
type Model = null | boolean | number | string | Model[] | Map<string, Model>;
const toModel = (v: unknown): Model => {
  if (Array.isArray(v)) return v.map(toModel);
  if (v !== null && typeof v === "object")
    return new Map(Object.keys(v).map((k) => [k, toModel(Object.getOwnPropertyDescriptor(v, k)?.value)]));
  return v as Model;
};
const mergeModel = (target: Model | undefined, patch: Model): Model => {
  if (!(patch instanceof Map)) return patch;
  const result = new Map(target instanceof Map ? target : []);
  for (const [key, value] of patch) {
    if (value === null) result.delete(key);
    else result.set(key, mergeModel(result.get(key), value));
  }
  return result;
};
/** Order-free comparison form: objects as sorted entry lists. */
const canonical = (m: Model): unknown =>
  m instanceof Map
    ? [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)])
    : Array.isArray(m)
      ? m.map(canonical)
      : m;

/** Keys that trip naive implementations, plus ordinary ones. */
const key = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "hasOwnProperty",
    "toString",
    "valueOf",
    "isPrototypeOf",
    "__defineGetter__",
    "",
    "a",
    "b",
  ),
  fc.string({ maxLength: 6 }),
);
/** JSON text of objects built from these keys, parsed as the service parses bodies (JSON.parse keeps `__proto__` as an own key). */
const { json } = fc.letrec<{ json: string; object: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("null", "true", "false", "0", "1.5", '"x"', "[]", '[1,{"a":null}]'),
    tie("object"),
  ),
  object: fc
    .array(fc.tuple(key, tie("json")), { maxLength: 5 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
}));
const object = json.filter((t) => t.startsWith("{"));

describe("JSON Merge Patch (RFC 7396)", () => {
  it.each(RFC_EXAMPLES)("RFC example: %s + %s = %s", (target, patch, result) => {
    expect(canonical(toModel(applyMergePatch(JSON.parse(target), JSON.parse(patch))))).toEqual(
      canonical(toModel(JSON.parse(result))),
    );
  });

  it("agrees with the reference model for any keys, __proto__ and friends included", () => {
    fc.assert(
      fc.property(object, json, (t, p) => {
        const got = applyMergePatch(JSON.parse(t), JSON.parse(p));
        expect(canonical(toModel(got))).toEqual(canonical(mergeModel(toModel(JSON.parse(t)), toModel(JSON.parse(p)))));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps every key through a JSON round trip, is idempotent, and pollutes no prototype", () => {
    fc.assert(
      fc.property(object, object, (t, p) => {
        const once = applyMergePatch(JSON.parse(t), JSON.parse(p));
        const reread = JSON.parse(JSON.stringify(once));
        expect(canonical(toModel(reread))).toEqual(canonical(toModel(once)));
        expect(canonical(toModel(applyMergePatch(reread, JSON.parse(p))))).toEqual(canonical(toModel(once)));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 1000 },
    );
  });

  it("treats the odd keys as data: set, merged into, deleted", () => {
    const target = JSON.parse('{"hasOwnProperty":1,"constructor":{"x":1},"a":1}');
    const patch = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"y":2},"hasOwnProperty":null,"prototype":3,"z":4}',
    );
    const merged = applyMergePatch(target, patch);
    expect(JSON.parse(JSON.stringify(merged))).toEqual(
      JSON.parse('{"constructor":{"x":1,"y":2},"a":1,"__proto__":{"polluted":true},"prototype":3,"z":4}'),
    );
    expect(Object.keys(merged as object)).toEqual(["constructor", "a", "__proto__", "prototype", "z"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
