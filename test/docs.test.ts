import { execFile, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { apiKey, baseUrl } from "./helpers.ts";

/**
 * The words people read first are held to what they claim: the README is a front page whose links
 * stay inside the repository, and the walkthroughs it points to run as they are against a real
 * stack (here, the test stack).
 */
const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The project's own Markdown files (not dependencies' or generated ones). */
const markdownFiles = (): string[] => {
  const inDir = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => f.endsWith(".md"))
          .map((f) => `${dir}/${f}`)
      : [];
  const readmes = ["packages", "examples"].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => `${group}/${name}/README.md`)
      .filter((p) => existsSync(join(root, p))),
  );
  return ["README.md", ...inDir("docs"), "bench/README.md", ...readmes].filter((p) => existsSync(join(root, p)));
};

/** `[text](target)` links of a Markdown text, code blocks left out. */
const linksOf = (markdown: string) =>
  [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "");

/** The fenced blocks of a language in a Markdown text. */
const blocksOf = (markdown: string, lang: string) =>
  [...markdown.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");

describe("the README", () => {
  const readme = read("README.md");

  it("is a front page: what it is, the two commands, one curl, links", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toMatch(/^npm test\b/m);
    expect(readme.match(/^curl /gm)).toHaveLength(1);
    // The walkthroughs live elsewhere: no TypeScript on the front page, and it points to them.
    expect(blocksOf(readme, "ts")).toEqual([]);
    expect(linksOf(readme)).toEqual(expect.arrayContaining(["docs/USAGE.md", "packages/client/README.md"]));
    expect(readme.split("\n").length).toBeLessThan(120);
  });

  it("its one curl registers a user as it is", async () => {
    const [block] = blocksOf(readme, "sh").filter((b) => b.includes("curl "));
    expect(block).toBeDefined();
    // The README speaks to `npm start`'s defaults; the test stack has its own address and key.
    const script = (block ?? "")
      .replaceAll("http://127.0.0.1:3000", baseUrl())
      .replaceAll("$(cat .iam-local/api-key)", apiKey());
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script]);
    expect(JSON.parse(stdout)).toMatchObject({ email: "grace@example.com", status: "UNCONFIRMED" });
  });
});

describe("every link in the project's Markdown", () => {
  it.each(markdownFiles())("%s points only at files inside the repository that exist", (file) => {
    const local = linksOf(read(file)).filter((l) => !/^(https?:|mailto:|#)/.test(l));
    const broken = local.filter((link) => {
      const target = resolve(root, dirname(file), decodeURI(link.split("#")[0] ?? ""));
      return relative(root, target).startsWith("..") || !existsSync(target);
    });
    expect(broken).toEqual([]);
  });
});

describe("the walkthroughs run as they are", () => {
  it("docs/USAGE.md: a user's life with curl", async () => {
    const usage = read("docs/USAGE.md");
    const [block] = blocksOf(usage, "sh").filter((b) => b.includes("curl "));
    expect(block).toBeDefined();
    // Any answer ≥ 400 stops the script: each step must succeed, not just print something.
    const failOnError = 'curl() { command curl --fail-with-body "$@"; echo; }\n';
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", failOnError + (block ?? "")], {
      env: { ...process.env, API: baseUrl(), KEY: apiKey() },
    });
    expect(stdout).toContain('"email":"ada@example.com"');
    expect(stdout).toContain('"status":"CONFIRMED"');
    expect(stdout).toContain('"reset":true');
    expect(stdout).toMatch(/"users":\[/);
  });

  const scratch = join(root, "node_modules", ".cache", `docs-test-${randomUUID().slice(0, 8)}`);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // Each TypeScript walkthrough of the client's README is a whole program: run it with tsx, from
  // inside the repository so `@user-iam/client` resolves to the workspace package (its dist/).
  const programs = blocksOf(read("packages/client/README.md"), "ts").filter((b) =>
    b.includes('from "@user-iam/client"'),
  );

  it("packages/client/README.md holds the tRPC and the REST walkthroughs", () => {
    expect(programs.some((p) => p.includes("createIamClient("))).toBe(true);
    expect(programs.some((p) => p.includes("createIamRestClient("))).toBe(true);
  });

  it.each(programs.map((program, i) => [i, program] as const))(
    "packages/client/README.md program %i",
    async (i, program) => {
      mkdirSync(scratch, { recursive: true });
      // .mts: the scratch folder has no package.json saying "type": "module" (the repository root does).
      const file = join(scratch, `walkthrough-${i}.mts`);
      writeFileSync(file, program);
      const { stdout } = await run(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), file], {
        env: { ...process.env, IAM_URL: baseUrl(), IAM_API_KEY: apiKey() },
      });
      // Each program ends by deleting its user and reading it again.
      expect(stdout).toContain("404 NOT_FOUND");
    },
    60_000,
  );
});

/**
 * The source files the project's words name — in the docs and READMEs, and in comments — exist: a
 * file that moved leaves its old path behind in prose that no compiler reads. A name counts when
 * some tracked file ends with it (`packages/core/src/cursor.ts`, `user/record.ts`, `core/src/adapters/aws.ts`,
 * `core/deadline.ts` for the core package's `src/deadline.ts`).
 */
describe("every source path the project's words name", () => {
  const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  const exists = (name: string) => {
    const short = name.replace(/^(core|functions|local|client)\//, "packages/$1/src/");
    return [name, short].some((n) => tracked.some((f) => f === n || f.endsWith(`/${n}`)));
  };
  /** Files that name paths on purpose which are not the project's: dependencies' files, made-up probes. */
  const ELSEWHERE = [
    /^test\/lint-boundaries\.test\.ts$/, // writes probe files to see the lint refuse them
    /^test\/fixtures\//, // SST's own component sources
    /^infra\/globals\.d\.ts$/, // SST's own component sources
    /^test\/infra-iam\.ts$/, // SST's own component sources
    /^test\/client-package\.test\.ts$/, // a scratch consumer project
    /^test\/security\/hygiene\.test\.ts$/, // a sample of a path for the log redaction
  ];
  const files = tracked.filter((f) => /\.(ts|md)$/.test(f) && !ELSEWHERE.some((r) => r.test(f)));
  /** BENCHMARKS.md: the method only; the dated runs below it are a record of what was measured then. */
  const text = (file: string) => {
    const all = read(file);
    return file === "docs/BENCHMARKS.md" ? (all.split(/\n## /)[0] ?? "") : all;
  };

  it("names no file that does not exist", () => {
    const missing = files.flatMap((file) =>
      [...text(file).matchAll(/(?<![\w@./{}$-])((?:[\w-]+\/)+[\w.-]+\.(?:ts|md))(?![\w/])/g)]
        .map((m) => m[1] ?? "")
        // dist/: what a build writes, not the source
        .filter((name) => !/^(node_modules|dist)\//.test(name) && !exists(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
