import { describe, expect, it } from "vitest";
import { appRouter } from "@iam/functions/router";
import { CONTRACT_CASES as cases } from "./contract-cases.ts";

/**
 * Every procedure answers the same over REST and over tRPC (HTTP, /trpc). Each case returns the
 * two results to compare; `mask` blanks what must differ between two runs (new ids, tokens).
 */
type Procedure = {
  _def: { type: "query" | "mutation"; meta?: { openapi?: { method: string; path: string }; created?: unknown } };
};
const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;

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
