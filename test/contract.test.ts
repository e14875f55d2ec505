import { describe, expect, it } from "vitest";
import { procedures } from "@iam/functions/procedures";
import { CONTRACT_CASES as cases } from "./contract-cases.ts";

/**
 * Every procedure answers the same over REST and over tRPC (HTTP, /trpc). Each case returns the
 * two results to compare; `mask` blanks what must differ between two runs (new ids, tokens).
 */
const mask = (value: unknown, keys: string[]): unknown =>
  JSON.parse(JSON.stringify(value), (k, v) => (keys.includes(k) ? "<masked>" : v));

describe("REST and tRPC give the same answer", () => {
  it("has a contract case for every procedure of the router", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(procedures).sort());
  });

  for (const [name, run] of Object.entries(cases)) {
    it(name, async () => {
      const { rest: r, trpc: t, keys = [] } = await run();
      // A procedure that creates (meta `created`) answers 201 over REST; tRPC answers 200 for every call.
      expect(r.status, JSON.stringify(r.json)).toBe(procedures[name]?._def.meta?.created ? 201 : 200);
      expect(t.status, JSON.stringify(t.json)).toBe(200);
      expect(mask(r.json, keys)).toEqual(mask(t.json, keys));
    });
  }
});
