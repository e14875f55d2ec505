import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, lstat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * The client package as someone outside this repository gets it: `npm pack`, then the tarball
 * installed ALONE into an empty project under the OS temp dir (its dependencies from the npm
 * registry, or the npm cache with --prefer-offline). There it must run in plain Node ESM,
 * type-check under `tsc --strict` with node16 and bundler resolution, and build with Vite.
 * tsc and Vite are the repository's own (the TypeScript 5 the client package pins, the Vite of
 * examples/web), called by path: nothing else is downloaded.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLIENT_DIR = join(ROOT, "packages/client");
const fromClient = createRequire(join(CLIENT_DIR, "package.json"));
const fromWeb = createRequire(join(ROOT, "examples/web/package.json"));
const TSC = join(fromClient.resolve("typescript/package.json"), "..", "bin/tsc");
const VITE = join(fromWeb.resolve("vite/package.json"), "..", "bin/vite.js");

/** What the package says it is: the name is read, not assumed, so a team's own scope works too. */
type Manifest = {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const manifest = JSON.parse(await readFile(join(CLIENT_DIR, "package.json"), "utf8")) as Manifest;

/** Child processes must not inherit `npm test`'s npm_* settings (prefix, workspace, …). */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));

const exec = async (file: string, args: string[], cwd: string) => {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof code === "number" ? code : 1, stdout: stdout ?? "", stderr: stderr ?? String(error) };
  }
};

/** Bytes on disk of every file under `dir`, by top-level package of node_modules. */
const sizeByPackage = async (modules: string): Promise<Map<string, number>> => {
  const sizes = new Map<string, number>();
  const walk = async (dir: string): Promise<number> => {
    let total = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      total += entry.isDirectory() ? await walk(path) : (await lstat(path)).size;
    }
    return total;
  };
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === ".bin") continue;
    const names = entry.name.startsWith("@")
      ? (await readdir(join(modules, entry.name))).map((n) => `${entry.name}/${n}`)
      : [entry.name];
    for (const name of names) sizes.set(name, await walk(join(modules, name)));
  }
  return sizes;
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

let work: string;
let project: string;
let packed: { filename: string; files: { path: string }[] };
let installed: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "iam-client-package-"));
  project = join(work, "consumer");
  await mkdir(join(project, "src"), { recursive: true });
  // `prepack` builds dist/ first, as it does before `npm publish`.
  const pack = await exec("npm", ["pack", "--json", "--pack-destination", work], CLIENT_DIR);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as [typeof packed];
  packed = info;
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
  );
  installed = await exec(
    "npm",
    ["install", join(work, packed.filename), "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    project,
  );
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed client package, installed alone in a new project", () => {
  it("installs from its tarball, ships only dist/, depends only on browser-side packages", async () => {
    expect(installed.code, installed.stderr).toBe(0);
    expect(packed.files.map((f) => f.path).filter((p) => !/^(dist\/.+|package\.json|README\.md)$/.test(p))).toEqual([]);
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(["@trpc/client", "openapi-fetch"]);
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(["@trpc/server"]);

    const sizes = await sizeByPackage(join(project, "node_modules"));
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const list = [...sizes].sort((a, b) => b[1] - a[1]).map(([name, size]) => `${name} ${mb(size)}`);
    // npm also installs `typescript`, a peer dependency of @trpc/client that a TypeScript project already has.
    const withoutTypescript = [...sizes]
      .filter(([name]) => !/^(typescript$|@typescript\/)/.test(name))
      .reduce((a, [, size]) => a + size, 0);
    console.log(
      `installed size of ${packed.filename}'s dependency tree: ${mb(total)}, ${mb(withoutTypescript)} without TypeScript (${list.join(", ")})`,
    );

    // Every package npm installed, nested ones included, from the project's lockfile.
    const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    const names = Object.keys(lock.packages).map((path) =>
      path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
    );
    expect(names).toContain(manifest.name);
    const server = names.filter((n) =>
      /^(@iam\/|zod$|hono$|@hono\/|@aws-sdk\/|@smithy\/|electrodb$|trpc-to-openapi$|pino$|sst$)/.test(n),
    );
    expect(server).toEqual([]);
  });

  it("imports from plain Node ESM, and its clients call the service", async () => {
    // A real call each way against the test stack: the built JS runs, and iamErrorOf recognises
    // the error class of the @trpc/client this project installed.
    await writeFile(
      join(project, "runtime.mjs"),
      `import * as iam from ${JSON.stringify(manifest.name)};
const [url, apiKey, id] = process.argv.slice(2);
const trpc = iam.createIamClient({ url, apiKey });
const missing = await trpc.user.byId.query({ id }).catch((error) => error);
const rest = iam.createIamRestClient({ url, apiKey });
const restMissing = await rest.GET("/user/{id}", { params: { path: { id } } });
console.log(JSON.stringify({
  exports: Object.keys(iam).sort(),
  trpc: iam.iamErrorOf(missing),
  rest: { status: restMissing.response.status, code: restMissing.error?.code },
}));
`,
    );
    const result = await exec(
      process.execPath,
      ["runtime.mjs", inject("baseUrl"), inject("apiKey"), randomUUID()],
      project,
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      exports: ["createIamClient", "createIamRestClient", "iamErrorOf"],
      trpc: { code: "NOT_FOUND", status: 404, message: expect.any(String) },
      rest: { status: 404, code: "NOT_FOUND" },
    });
  }, 60_000);

  it("publishes its router and domain types in its own .d.ts: no @iam/* or server package is imported", async () => {
    const pkgDir = join(project, "node_modules", manifest.name);
    const installedManifest = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8")) as { types?: string };
    expect(installedManifest.types).toBeDefined();
    const dts = await readFile(join(pkgDir, installedManifest.types ?? ""), "utf8");
    const specifiers = [...dts.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect([...new Set(specifiers)].sort()).toEqual(["@trpc/client", "@trpc/server", "openapi-fetch"]);
    expect(dts).toMatch(/type AppRouter\b/);
  });

  /** A consumer as a team would write it: typed calls, typed results, domain types by name. */
  const consumer = (
    name: string,
  ) => `import { createIamClient, createIamRestClient, iamErrorOf } from ${JSON.stringify(name)};
import type { AppRouter, Badge, ErrorCode, RegisterInput, RouterOutputs, User, UserStatus } from ${JSON.stringify(name)};

export const iam = createIamClient({ url: "https://iam.example.com", apiKey: "key" });
export const api = createIamRestClient({ url: "https://iam.example.com" });

export const signUp = async (input: RegisterInput): Promise<string> => {
  const registered = await iam.user.register.mutate(input);
  const user: User = await iam.user.activate.query({ activationCode: registered.activationCode });
  const status: UserStatus = user.status;
  const badges: Badge[] = user.profile.badges;
  return \`\${user.handle} \${status} \${badges.length}\`;
};

export const find = async (id: string): Promise<RouterOutputs["user"]["byId"] | ErrorCode> => {
  try {
    return await iam.user.byId.query({ id });
  } catch (e) {
    return iamErrorOf(e)?.code ?? "INTERNAL_SERVER_ERROR";
  }
};

export const viaRest = async (id: string): Promise<string | undefined> => {
  const { data, error } = await api.GET("/user/{id}", { params: { path: { id } } });
  return data?.email ?? error?.message;
};

export type Router = AppRouter;
`;

  const WRONG_INPUT = `import { createIamClient } from ${JSON.stringify(manifest.name)};
const iam = createIamClient({ url: "https://iam.example.com" });
export const wrong = iam.user.register.mutate({ email: 1, name: "ada", password: "Analytical1" });
`;

  const tsconfig = (resolution: "node16" | "bundler") => ({
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module: resolution === "node16" ? "Node16" : "ESNext",
      moduleResolution: resolution === "node16" ? "Node16" : "Bundler",
      // tRPC 11's own declarations use `Disposable` (ESNext.Disposable).
      lib: ["ES2022", "ESNext.Disposable", "DOM", "DOM.Iterable"],
      types: [],
      noEmit: true,
      // Check the package's own .d.ts too, not only this project's files.
      skipLibCheck: false,
    },
    files: ["src/consumer.ts", "src/wrong-input.ts"],
  });

  it("uses the TypeScript 5 the client package pins, for the checks below", async () => {
    const { version } = JSON.parse(await readFile(join(TSC, "../../package.json"), "utf8")) as { version: string };
    expect(version).toMatch(/^5\./);
  });

  // One tsc run per resolution checks both files: the consumer has no error, and the one wrong
  // input is reported (if the types were `any`, or missing, it would not be).
  for (const resolution of ["node16", "bundler"] as const) {
    it(`type-checks a consumer with tsc --strict, moduleResolution ${resolution}: 0 errors, and a wrong procedure input is reported`, async () => {
      await writeFile(join(project, "src", "consumer.ts"), consumer(manifest.name));
      await writeFile(join(project, "src", "wrong-input.ts"), WRONG_INPUT);
      const config = `tsconfig.${resolution}.json`;
      await writeFile(join(project, config), JSON.stringify(tsconfig(resolution), null, 2));
      const result = await exec(process.execPath, [TSC, "-p", config, "--pretty", "false"], project);
      const errors = result.stdout.split("\n").filter((line) => line.includes("error TS"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^src\/wrong-input\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'\./,
      );
      expect(result.code).not.toBe(0);
    }, 90_000);
  }

  it("builds a consumer with Vite", async () => {
    await writeFile(join(project, "src", "consumer.ts"), consumer(manifest.name));
    await writeFile(
      join(project, "src", "main.ts"),
      `import { find } from "./consumer.ts";\ndocument.body.textContent = String(await find(location.hash.slice(1)));\n`,
    );
    await writeFile(
      join(project, "index.html"),
      `<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>\n`,
    );
    const result = await exec(process.execPath, [VITE, "build", "--logLevel", "error"], project);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const assets = await readdir(join(project, "dist", "assets"));
    const js = assets.filter((a) => a.endsWith(".js"));
    expect(js).toHaveLength(1);
    // The client's own code is in the bundle (the URL it builds), next to @trpc/client's.
    const bundle = await readFile(join(project, "dist", "assets", js[0] ?? ""), "utf8");
    expect(bundle).toContain("/trpc");
    expect(bundle).toContain("x-api-key");
  }, 90_000);
});
