import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StormDBDataStoreFactory } from "cognito-local/lib/services/dataStore/stormDb.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableDataStoreFactory } from "./store.ts";

const ctx = { logger: pino({ level: "silent" }) };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "iam-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onDisk = async (id: string) =>
  JSON.parse(await readFile(join(dir, `${id}.json`), "utf8")) as Record<string, unknown>;

describe("the durable store behind cognito-local", () => {
  it("has every acknowledged change on disk, whatever the interleaving of concurrent sets and deletes", async () => {
    const store = await new DurableDataStoreFactory(dir).create(ctx, "pool", { Users: {} });
    const big = "x".repeat(20_000); // each rewrite takes a while, so writes would overlap
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(ctx, ["Users", `old${i}`], { big, i })));
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => store.set(ctx, ["Users", `new${i}`], { big, i })),
      ...Array.from({ length: 50 }, (_, i) => store.delete(ctx, ["Users", `old${i}`])),
    ]);
    const users = (await onDisk("pool")).Users as Record<string, unknown>;
    expect(Object.keys(users).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `new${i}`).sort());
  });

  it("never exposes a torn file: a reader during a burst of writes always parses a whole state", async () => {
    const store = await new DurableDataStoreFactory(dir).create(ctx, "pool", { Users: {} });
    const big = "y".repeat(50_000);
    let writing = true;
    const burst = Promise.all(
      Array.from({ length: 60 }, (_, i) => store.set(ctx, ["Users", `u${i}`], { big })),
    ).finally(() => (writing = false));
    let reads = 0;
    while (writing) {
      const users = (await onDisk("pool")).Users as Record<string, { big: string }>;
      for (const u of Object.values(users)) expect(u.big).toHaveLength(50_000);
      reads++;
    }
    await burst;
    expect(reads).toBeGreaterThan(0);
  });

  it("reads and writes stormdb's format, so a data folder from stock cognito-local keeps its users", async () => {
    const created = new Date("2024-01-02T03:04:05.000Z");
    const stock = await new StormDBDataStoreFactory(dir).create(ctx, "pool", { Users: {} });
    await stock.set(ctx, ["Users", "ada"], { Username: "ada", UserCreateDate: created, RefreshTokens: ["t"] });
    const before = await readFile(join(dir, "pool.json"), "utf8");

    const store = await new DurableDataStoreFactory(dir).create(ctx, "pool", { Users: {} });
    const ada = await store.get<{ UserCreateDate: Date; RefreshTokens: string[] }>(ctx, ["Users", "ada"]);
    expect(ada?.UserCreateDate).toEqual(created);
    expect(ada?.RefreshTokens).toEqual(["t"]);
    await store.set(ctx, ["Users", "ada"], ada);
    expect(await readFile(join(dir, "pool.json"), "utf8")).toBe(before);
  });

  it("refuses to start over a file it cannot parse, instead of starting empty", async () => {
    await writeFile(join(dir, "pool.json"), '{"Users": {"ada": {"Username": "ada"}}}garbage');
    await expect(new DurableDataStoreFactory(dir).create(ctx, "pool", { Users: {} })).rejects.toThrow(
      /pool\.json is not valid JSON/,
    );
    expect(await readFile(join(dir, "pool.json"), "utf8")).toContain("garbage"); // left as it was
  });

  it("answers get as stormdb does: the stored value, the default, or null", async () => {
    const store = await new DurableDataStoreFactory(dir).create(ctx, "pool", { Users: {}, Options: { Id: "p" } });
    expect(await store.get(ctx, "Options")).toEqual({ Id: "p" });
    expect(await store.get(ctx, ["Users", "nobody"])).toBeNull();
    expect(await store.get(ctx, ["Missing", "deeper"], "fallback")).toBe("fallback");
    expect(await store.getRoot(ctx)).toEqual({ Users: {}, Options: { Id: "p" } });
  });
});
