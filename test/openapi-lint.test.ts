import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedDoc, type Doc } from "./support/openapi-doc.ts";

/**
 * The served document passes the two linters people run on OpenAPI documents, with the rulesets
 * at the repository's root: Spectral's `spectral:oas` (.spectral.yaml) and Redocly's
 * `recommended` (redocly.yaml). Both are devDependencies, run offline (Redocly's telemetry off).
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const offline = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

type SpectralResult = { code: string; message: string; severity: 0 | 1 | 2 | 3; path: string[] };
type RedoclyReport = {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; severity: string }[];
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "iam-lint-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spectral = async (doc: unknown, name: string): Promise<SpectralResult[]> => {
  const file = join(dir, `${name}.json`);
  const out = join(dir, `${name}.spectral.json`);
  await writeFile(file, JSON.stringify(doc));
  // Exit code 1 when it finds errors: the results file says what, either way.
  await run(bin("spectral"), ["lint", "-r", join(root, ".spectral.yaml"), "-f", "json", "-o", out, "-q", file], {
    env: offline,
  }).catch(() => undefined);
  return JSON.parse(await readFile(out, "utf8")) as SpectralResult[];
};

const redocly = async (doc: unknown, name: string): Promise<RedoclyReport> => {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(doc));
  const args = ["lint", "--config", join(root, "redocly.yaml"), "--format", "json", file];
  const { stdout } = await run(bin("redocly"), args, { env: offline, cwd: dir }).catch((e: { stdout: string }) => ({
    stdout: e.stdout,
  }));
  return JSON.parse(stdout) as RedoclyReport;
};

const SEVERITY = ["error", "warning", "info", "hint"];
const described = (r: SpectralResult) => `${SEVERITY[r.severity]} ${r.code} at ${r.path.join(".")}: ${r.message}`;

describe("the served OpenAPI document passes Spectral and Redocly", () => {
  it("Spectral (spectral:oas): 0 errors, 0 warnings", async () => {
    const results = await spectral(await servedDoc(), "served");
    const count = (s: number) => results.filter((r) => r.severity === s).length;
    console.log(
      `Spectral spectral:oas: ${count(0)} errors, ${count(1)} warnings, ${count(2)} infos, ${count(3)} hints`,
    );
    expect(results.filter((r) => r.severity <= 1).map(described)).toEqual([]);
  }, 60_000);

  it("Redocly (recommended): 0 errors, 0 warnings", async () => {
    const report = await redocly(await servedDoc(), "served");
    console.log(`Redocly recommended: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("both report a broken document (the harness can fail)", async () => {
    const broken = structuredClone(await servedDoc()) as Doc & { servers: { url: string }[] };
    const [get, remove] = [broken.paths["/user/{id}"]?.get, broken.paths["/user/{id}"]?.delete];
    if (!get || !remove) throw new Error("GET and DELETE /user/{id} are not documented");
    remove.operationId = get.operationId; // operation ids must be unique
    broken.servers = [{ url: "https://example.com/" }]; // example.com, trailing slash
    expect((await spectral(broken, "broken")).map((r) => r.code)).toEqual(
      expect.arrayContaining(["operation-operationId-unique", "oas3-server-trailing-slash"]),
    );
    const report = await redocly(broken, "broken");
    expect(report.problems.map((p) => p.ruleId)).toEqual(
      expect.arrayContaining(["operation-operationId-unique", "no-server-example.com"]),
    );
  }, 60_000);

  it("turns rules off only with a reason next to each", async () => {
    for (const file of [".spectral.yaml", "redocly.yaml"]) {
      const lines = (await readFile(join(root, file), "utf8")).split("\n");
      const off = lines.flatMap((line, i) => (/^\s+[\w$-]+:\s*off\s*$/.test(line) ? [i] : []));
      for (const i of off)
        expect(lines[i - 1], `${file}: ${lines[i]?.trim()} needs a comment above it`).toMatch(/^\s*#/);
    }
    expect(await readFile(join(root, ".spectral.yaml"), "utf8")).toMatch(/extends: \["spectral:oas"\]/);
    expect(await readFile(join(root, "redocly.yaml"), "utf8")).toMatch(/extends:\n\s+- recommended/);
  });
});
