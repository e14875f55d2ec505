import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layers are a lint rule (biome.json's `noRestrictedImports` overrides): an import that runs
 * back up a layer fails `npm run lint`. Each probe is a one-import file placed where a real file
 * would be, linted with the repository's own biome.json in a scratch copy of the layout.
 */
const root = join(import.meta.dirname, "..");
const biome = join(root, "node_modules", ".bin", "biome");

/** [where the importing file is, what it imports] */
const refused: [string, string][] = [
  // The ground imports no domain.
  ["packages/core/src/adapters/probe.ts", "../user/record.ts"],
  ["packages/core/src/dynamo/entities/probe.ts", "../../user/index.ts"],
  ["packages/core/src/config.ts", "./user/record.ts"],
  // The back-imports the issue found: user → badge (mapper → catalog), user → password (delete → codes).
  ["packages/core/src/user/probe.ts", "../badge/catalog.ts"],
  ["packages/core/src/user/probe.ts", "../password/index.ts"],
  // Peers share through a lower layer; nothing but the packages above uses core's front door.
  ["packages/core/src/session/probe.ts", "../password/index.ts"],
  ["packages/core/src/avatar/probe.ts", "../index.ts"],
  ["packages/core/src/auth/probe.ts", "@iam/functions/app"],
  // The test entry is for tests; the edge reads core through its front door only.
  ["packages/functions/src/probe.ts", "@iam/core/testing"],
  ["packages/functions/src/probe.ts", "../../core/src/user/record.ts"],
  ["packages/local/src/probe.ts", "@iam/core/testing"],
];
const allowed: [string, string][] = [
  ["packages/core/src/adapters/probe.ts", "./aws.ts"],
  ["packages/core/src/user/probe.ts", "../assets/index.ts"],
  ["packages/core/src/auth/probe.ts", "../user/record.ts"],
  ["packages/core/src/password/probe.ts", "../session/index.ts"],
  ["packages/functions/src/probe.ts", "@iam/core"],
  ["test/probe.test.ts", "@iam/core/testing"],
];

let scratch: string;
/** Lints files (path → text) with the repository's biome.json in a scratch folder: `path → rules` reported. */
const lintFiles = async (files: Record<string, string>) => {
  const dir = await mkdtemp(join(scratch, "case-"));
  await copyFile(join(root, "biome.json"), join(dir, "biome.json"));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  // Biome exits 1 when it reports an error; the diagnostics are what is checked.
  const { stdout } = await promisify(execFile)(biome, ["lint", "--vcs-enabled=false", "--reporter=github", "."], {
    cwd: dir,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
  const found = new Map<string, string[]>();
  for (const m of stdout.matchAll(/^::error title=lint\/([^,]+),file=([^,]+),/gm)) {
    const file = relative(dir, m[2] ?? "");
    found.set(file, [...(found.get(file) ?? []), m[1] ?? ""]);
  }
  return found;
};
/** One-import probes at distinct paths: the files Biome refuses an import of. */
const lint = async (probes: [string, string][]) => {
  const found = await lintFiles(
    Object.fromEntries(
      probes.map(([file, from]) => [file, `import { probe } from "${from}";\n\nexport const used = probe;\n`]),
    ),
  );
  return new Set([...found].filter(([, rules]) => rules.includes("style/noRestrictedImports")).map(([file]) => file));
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "iam-lint-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("the import boundary (npm run lint)", () => {
  it("refuses every import that runs back up a layer, or reaches past a front door", async () => {
    const missed: string[] = [];
    for (const probe of refused) {
      const found = await lint([probe]);
      if (!found.has(probe[0])) missed.push(`${probe[0]} ← ${probe[1]}`);
    }
    expect(missed, "back-imports the lint lets through").toEqual([]);
  });

  it("lets imports run down the layers", async () => {
    expect([...(await lint(allowed))]).toEqual([]);
  });

  it("refuses an import cycle, and an import below other code", async () => {
    const found = await lintFiles({
      "packages/core/src/user/a.ts": 'import { b } from "./b.ts";\n\nexport const a = () => b;\n',
      "packages/core/src/user/b.ts":
        'import { a } from "./a.ts";\n\nexport const b = () => a;\nimport { c } from "./c.ts";\n\nexport const d = c;\n',
      "packages/core/src/user/c.ts": "export const c = 1;\n",
    });
    expect(found.get("packages/core/src/user/a.ts")).toEqual(["suspicious/noImportCycles"]);
    expect(found.get("packages/core/src/user/b.ts")?.sort()).toEqual([
      "style/useImportsFirst",
      "suspicious/noImportCycles",
    ]);
    expect(found.get("packages/core/src/user/c.ts")).toBeUndefined();
  });
});
