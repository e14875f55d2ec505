/**
 * The code and the infrastructure agree.
 *
 * This loads `sst.config.ts` and `infra/*.ts` with recording stand-ins for SST's globals
 * (test/fixtures/sst-globals.ts) and checks the STRUCTURE of the program: which components it
 * declares, with which arguments, and what is linked to the function. It deploys nothing and
 * talks to neither AWS nor Pulumi, so it cannot catch what only a deployment would (IAM
 * propagation, quotas, a provider rejecting a value).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Entity } from "electrodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TableDefinition } from "../packages/core/src/dynamo/table.ts";
import { ROLES } from "../packages/core/src/dynamo/entities/user.ts";
import { PasswordPolicy } from "../packages/core/src/user/schema.ts";
import { Asset, Interpolation, Ref, evaluateConfig, installSstGlobals, type Evaluated, type Recorded } from "./fixtures/sst-globals.ts";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Every `.ts` file under a folder, tests left out. */
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .map((f) => join(dir, f));

/**
 * The service's own code: packages/<name>/src. `local` is left out: it is the emulator harness that
 * WRITES the `SST_RESOURCE_*` variables; it reads no linked resource.
 */
const serviceSources = readdirSync(join(root, "packages"))
  .filter((p) => p !== "local" && existsSync(join(root, "packages", p, "src")))
  .flatMap((p) => sources(join("packages", p, "src")));

const matches = (files: string[], pattern: RegExp): Set<string> =>
  new Set(files.flatMap((f) => [...read(f).matchAll(pattern)].map((m) => m[1] as string)));

/** `Resource.<Name>` the code reads; `App` is always provided by SST, never linked. */
const resourcesRead = [...matches(serviceSources, /\bResource\.([A-Za-z_]\w*)/g)].filter((n) => n !== "App").sort();

/**
 * The entries of `interface Resource` in sst-env.d.ts: name → its `type` and other keys. Reads both
 * the hand-kept one-line form and the multi-line, quoted form `sst deploy` writes.
 */
const resourceDeclarations = (text: string): Map<string, { type?: string; keys: string[] }> => {
  const start = text.indexOf("{", text.indexOf("interface Resource"));
  const entries = new Map<string, { type?: string; keys: string[] }>();
  let depth = 0;
  let name = "";
  let body = "";
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{") {
      depth++;
      if (depth === 2) {
        name = /"?(\w+)"?\s*:\s*$/.exec(text.slice(text.lastIndexOf("\n", i), i))?.[1] ?? "";
        body = "";
        continue;
      }
    } else if (ch === "}") {
      depth--;
      if (depth === 1) {
        const keys = [...body.matchAll(/"?(\w+)"?\s*:/g)].map((m) => m[1] as string);
        entries.set(name, { type: /"?type"?\s*:\s*"([^"]+)"/.exec(body)?.[1], keys: keys.filter((k) => k !== "type") });
      }
      if (depth === 0) break;
    }
    if (depth >= 2) body += ch;
  }
  return entries;
};

let uninstall = () => {};
afterAll(() => uninstall());

const load = async (stage: string): Promise<Evaluated> => {
  const loaded = await evaluateConfig(stage);
  uninstall = loaded.uninstall;
  return loaded;
};

const one = (registry: Recorded[], type: string, name?: string): Recorded => {
  const found = registry.filter((c) => c.type === type && (name === undefined || c.logicalName === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0] as Recorded;
};

describe("infra (structure, not a deployment)", () => {
  let prod: Evaluated;
  let dev: Evaluated;
  beforeAll(async () => {
    dev = await load("dev-alice");
    prod = await load("prod");
  });

  describe("app", () => {
    it("is an AWS-homed app that retains and protects only the production stage", () => {
      expect(prod.appConfig).toMatchObject({ name: "user-iam", home: "aws", removal: "retain", protect: true });
      expect(dev.appConfig).toMatchObject({ name: "user-iam", home: "aws", removal: "remove", protect: false });
    });

    it("treats both 'prod' and 'production' as the retained, protected stage", async () => {
      vi.resetModules();
      uninstall = installSstGlobals().uninstall;
      const { default: config } = await import("../sst.config.ts");
      for (const stage of ["prod", "production"]) expect(config.app({ stage })).toMatchObject({ removal: "retain", protect: true });
      expect(config.app({ stage: "dev" })).toMatchObject({ removal: "remove", protect: false });
    });

    it("outputs the API URL and its /docs page", () => {
      expect(prod.outputs).toEqual({ api: expect.any(Ref), docs: expect.any(Interpolation) });
      expect(String(prod.outputs.api)).toBe("{HttpApi.url}");
      expect((prod.outputs.docs as Interpolation).text).toBe("{HttpApi.url}/docs");
    });
  });

  describe("links", () => {
    it("finds the resources the code reads", () => {
      // A guard on the scan itself: these are read by packages/core/src/config.ts today.
      expect(resourcesRead).toEqual(expect.arrayContaining(["Table", "Assets", "AssetsUrl", "Auth", "IamApiKey"]));
    });

    it("declares every Resource.<Name> the code reads and links it to the function", () => {
      const fn = one(prod.registry, "sst.aws.Function", "Api");
      const linked = (fn.args.link as Recorded[]).map((c) => c.logicalName);
      for (const name of resourcesRead) {
        expect(prod.registry.some((c) => c.logicalName === name), `${name} declared`).toBe(true);
        expect(linked, `${name} linked`).toContain(name);
      }
    });

    it("sst-env.d.ts names App and every linked resource, with their types and properties", () => {
      const fn = one(prod.registry, "sst.aws.Function", "Api");
      const linked = fn.args.link as Recorded[];
      const declared = resourceDeclarations(read("sst-env.d.ts"));
      const components = new Map(prod.registry.filter((c) => c.type.startsWith("sst.")).map((c) => [c.logicalName, c]));
      // `sst deploy` regenerates this file with EVERY top-level SST component (Api, HttpApi and
      // UserPool too), so beyond App and the links only names infra declares may appear.
      expect([...declared.keys()]).toEqual(expect.arrayContaining(["App", ...linked.map((c) => c.logicalName)]));
      for (const name of declared.keys()) if (name !== "App") expect(components.has(name), `${name} in infra`).toBe(true);
      for (const [name, decl] of declared) {
        const c = components.get(name);
        if (!c) continue;
        expect(decl.type, name).toBe(c.type);
        if (c.type === "sst.sst.Linkable") expect(decl.keys.sort(), name).toEqual(Object.keys(c.args.properties).sort());
      }
    });

    it("gives SST components unique names, none of them the reserved App", () => {
      const names = prod.registry.filter((c) => c.type.startsWith("sst.")).map((c) => c.logicalName.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toContain("app");
    });
  });

  describe("table", () => {
    it("is built from TableDefinition: fields, primary index, every GSI and the TTL attribute", () => {
      const table = one(prod.registry, "sst.aws.Dynamo", "Table");
      expect(table.args.fields).toEqual(TableDefinition.fields);
      expect(table.args.primaryIndex).toEqual(TableDefinition.primaryIndex);
      expect(table.args.globalIndexes).toEqual(TableDefinition.globalIndexes);
      expect(table.args.ttl).toBe(TableDefinition.ttl);
    });

    it("declares only key attributes (DynamoDB rejects unused attribute definitions)", () => {
      const { fields, primaryIndex, globalIndexes, ttl } = TableDefinition;
      const keys = [primaryIndex, ...Object.values(globalIndexes)].flatMap((i) => [i.hashKey, i.rangeKey]);
      expect(new Set(Object.keys(fields))).toEqual(new Set(keys));
      expect(Object.keys(fields)).not.toContain(ttl);
    });

    it("streams new and old images", () => {
      expect(one(prod.registry, "sst.aws.Dynamo", "Table").args.stream).toBe("new-and-old-images");
    });

    it("keeps point-in-time recovery and deletion protection on production only", () => {
      const p = one(prod.registry, "sst.aws.Dynamo", "Table").args;
      const d = one(dev.registry, "sst.aws.Dynamo", "Table").args;
      expect(p.transform.table.pointInTimeRecovery).toEqual({ enabled: true });
      expect(p.deletionProtection).toBe(true);
      expect(d.transform.table.pointInTimeRecovery).toEqual({ enabled: false });
      expect(d.deletionProtection).toBe(false);
    });

    it("has every index the ElectroDB entities name, on the same key fields, and no unused GSI", async () => {
      const dir = "packages/core/src/dynamo/entities";
      const entities: [string, Entity<any, any, any, any>][] = [];
      for (const file of sources(dir)) {
        const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, file));
        for (const [name, value] of Object.entries(mod)) if (value instanceof Entity) entities.push([name, value]);
      }
      expect(entities.length).toBeGreaterThan(0);
      const gsis = TableDefinition.globalIndexes as Record<string, { hashKey: string; rangeKey: string }>;
      const used = new Set<string>();
      for (const [name, entity] of entities) {
        const indexes = entity.schema.indexes as Record<string, { index?: string; pk: { field: string }; sk?: { field: string } }>;
        for (const [access, ix] of Object.entries(indexes)) {
          const where = `${name}.${access}`;
          const keys = ix.index === undefined ? TableDefinition.primaryIndex : gsis[ix.index];
          expect(keys, `${where}: index "${ix.index}" is not on the table`).toBeDefined();
          expect(ix.pk.field, where).toBe(keys?.hashKey);
          expect(ix.sk?.field, where).toBe(keys?.rangeKey);
          if (ix.index !== undefined) used.add(ix.index);
        }
      }
      expect([...used].sort()).toEqual(Object.keys(gsis).sort());
    });
  });

  describe("assets", () => {
    it("is a bucket named Assets whose objects are publicly readable", () => {
      expect(one(prod.registry, "sst.aws.Bucket", "Assets").args).toMatchObject({ access: "public" });
    });

    it("uploads every badge icon as badges/<NAME>.svg with an SVG content type", () => {
      const icons = readdirSync(join(root, "packages/core/assets/badges")).filter((f) => f.endsWith(".svg"));
      expect(icons.length).toBeGreaterThan(0);
      const uploads = prod.registry.filter((c) => c.type === "aws.s3.BucketObjectv2").map((c) => c.args);
      expect(uploads).toHaveLength(icons.length);
      for (const icon of icons) {
        const upload = uploads.find((u) => u.key === `badges/${icon}`);
        expect(upload, icon).toBeDefined();
        expect(String(upload.bucket)).toBe("{Assets.name}");
        expect(upload.contentType).toBe("image/svg+xml");
        expect(upload.source).toEqual(new Asset(`packages/core/assets/badges/${icon}`));
        expect(existsSync(join(root, (upload.source as Asset).path))).toBe(true);
      }
    });

    it("publishes the bucket's https base URL as AssetsUrl", () => {
      const url = one(prod.registry, "sst.sst.Linkable", "AssetsUrl").args.properties.url as Interpolation;
      expect(url).toBeInstanceOf(Interpolation);
      expect(url.text).toMatch(/^https:\/\/\{Assets\.[\w.]+\}$/);
    });
  });

  describe("auth", () => {
    const core = () => sources("packages/core/src");

    it("has a user pool with e-mail as the username and the password policy the API validates", () => {
      const pool = one(prod.registry, "sst.aws.CognitoUserPool", "UserPool").args;
      expect(pool.usernames).toEqual(["email"]);
      expect(pool.transform.userPool.passwordPolicy).toMatchObject({
        minimumLength: PasswordPolicy.MinimumLength,
        requireLowercase: PasswordPolicy.RequireLowercase,
        requireUppercase: PasswordPolicy.RequireUppercase,
        requireNumbers: PasswordPolicy.RequireNumbers,
        requireSymbols: PasswordPolicy.RequireSymbols,
      });
      expect(PasswordPolicy).toEqual({
        MinimumLength: 8,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: false,
      });
    });

    it("lets only the API create users, and protects the production pool from deletion", () => {
      const p = one(prod.registry, "sst.aws.CognitoUserPool", "UserPool").args.transform.userPool;
      const d = one(dev.registry, "sst.aws.CognitoUserPool", "UserPool").args.transform.userPool;
      expect(p.adminCreateUserConfig).toEqual({ allowAdminCreateUserOnly: true });
      expect(p.deletionProtection).toBe("ACTIVE");
      expect(d.deletionProtection).toBe("INACTIVE");
    });

    it("has one group per role: USER, MODERATOR, ADMIN", () => {
      const groups = prod.registry.filter((c) => c.type === "aws.cognito.UserGroup").map((c) => c.args);
      expect(groups.map((g) => g.name).sort()).toEqual([...ROLES].sort());
      expect([...ROLES].sort()).toEqual(["ADMIN", "MODERATOR", "USER"]);
      for (const g of groups) expect(String(g.userPoolId)).toBe("{UserPool.id}");
    });

    it("has a client allowing every AuthFlow the code uses, plus refresh", () => {
      const client = one(prod.registry, "aws.cognito.UserPoolClient").args;
      const flows = [...matches(core(), /AuthFlow:\s*"(\w+)"/g)];
      expect(flows).toContain("ADMIN_USER_PASSWORD_AUTH");
      const allow = (flow: string) => (flow === "REFRESH_TOKEN" ? "ALLOW_REFRESH_TOKEN_AUTH" : `ALLOW_${flow}`);
      expect(client.explicitAuthFlows).toEqual(expect.arrayContaining([...flows.map(allow), "ALLOW_REFRESH_TOKEN_AUTH"]));
      expect(String(client.userPoolId)).toBe("{UserPool.id}");
    });

    it("has a client without a secret (the code sends no SECRET_HASH) that hides whether a user exists", () => {
      const client = one(prod.registry, "aws.cognito.UserPoolClient").args;
      expect(matches(core(), /(SECRET_HASH)["']?\s*:/g).size).toBe(0); // used as an AuthParameters key
      expect(client.generateSecret).toBe(false);
      expect(client.preventUserExistenceErrors).toBe("ENABLED");
    });

    it("issues 1-hour access and id tokens and 30-day refresh tokens", () => {
      const client = one(prod.registry, "aws.cognito.UserPoolClient").args;
      expect(client).toMatchObject({
        accessTokenValidity: 1,
        idTokenValidity: 1,
        refreshTokenValidity: 30,
        tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
      });
    });

    it("links Auth as the pool id, the client id and the pool's issuer URL", () => {
      const { properties } = one(prod.registry, "sst.sst.Linkable", "Auth").args;
      expect(String(properties.userPoolId)).toBe("{UserPool.id}");
      expect(String(properties.clientId)).toBe(`{${one(prod.registry, "aws.cognito.UserPoolClient").logicalName}.id}`);
      expect((properties.issuer as Interpolation).text).toBe("https://cognito-idp.{aws.region}.amazonaws.com/{UserPool.id}");
    });

    it("grants the function every IAM-authorised Cognito call the code makes, on the pool only", () => {
      /** Cognito operations authorised by the user's own token, which need no IAM permission. */
      const tokenAuthorised = new Set(["InitiateAuth", "RespondToAuthChallenge", "SignUp", "ConfirmSignUp", "ForgotPassword",
        "ConfirmForgotPassword", "ChangePassword", "GetUser", "GlobalSignOut", "RevokeToken", "UpdateUserAttributes"]);
      const cognitoFiles = core().filter((f) => read(f).includes("@aws-sdk/client-cognito-identity-provider"));
      const calls = [...matches(cognitoFiles, /\b(\w+)Command\b/g)].filter((op) => !tokenAuthorised.has(op));
      expect(calls).toContain("AdminInitiateAuth");
      const [permission, ...others] = one(prod.registry, "sst.aws.Function", "Api").args.permissions;
      expect(others).toEqual([]);
      expect(permission.actions).toEqual(expect.arrayContaining(calls.map((op) => `cognito-idp:${op}`)));
      expect(permission.actions.every((a: string) => /^cognito-idp:Admin\w+$/.test(a))).toBe(true);
      expect(permission.resources.map(String)).toEqual(["{UserPool.arn}"]);
    });
  });

  describe("reconciler", () => {
    const cron = () => one(prod.registry, "sst.aws.Cron", "Reconciler").args;

    it("runs every minute a Node.js 22 arm64 function whose handler file exports it", async () => {
      expect(cron().schedule).toBe("rate(1 minute)");
      const fn = cron().function;
      expect(fn).toMatchObject({ runtime: "nodejs22.x", architecture: "arm64", environment: { NODE_ENV: "production" } });
      const [file, exported] = (fn.handler as string).split(".") as [string, string];
      expect(file).toBe("packages/functions/src/reconciler");
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, `${file}.ts`));
      expect(typeof mod[exported]).toBe("function");
    });

    it("is linked to the table, the assets bucket and the pool, and may make the pool's admin calls", () => {
      const fn = cron().function;
      expect((fn.link as Recorded[]).map((c) => c.logicalName).sort()).toEqual(["Assets", "Auth", "Table"]);
      const api = one(prod.registry, "sst.aws.Function", "Api").args;
      expect(fn.permissions).toEqual(api.permissions);
    });

    it("has a timeout above one item's request budget, so a pass is not cut short on the first slow item", () => {
      expect(Number.parseInt(cron().function.timeout as string, 10)).toBeGreaterThanOrEqual(30);
    });
  });

  describe("secrets", () => {
    it("declares the bootstrap API key as the IamApiKey secret", () => {
      one(prod.registry, "sst.sst.Secret", "IamApiKey");
    });
  });

  describe("api", () => {
    it("is one function on Node.js 22, arm64, with the handler packages/functions/src/handler.handler", () => {
      const fn = one(prod.registry, "sst.aws.Function").args;
      expect(fn).toMatchObject({
        handler: "packages/functions/src/handler.handler",
        runtime: "nodejs22.x",
        architecture: "arm64",
        environment: { NODE_ENV: "production" },
      });
    });

    it("points at a file that exports the handler function", async () => {
      const [file, exported] = (one(prod.registry, "sst.aws.Function").args.handler as string).split(".") as [string, string];
      expect(existsSync(join(root, `${file}.ts`))).toBe(true);
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, `${file}.ts`));
      expect(typeof mod[exported]).toBe("function");
    });

    it("ships a minified bundle with source maps, installing swagger-ui-dist at the pinned version", () => {
      const { nodejs } = one(prod.registry, "sst.aws.Function").args;
      expect(nodejs).toMatchObject({ minify: true, sourcemap: true });
      const deps = JSON.parse(read("packages/functions/package.json")).dependencies as Record<string, string>;
      expect(Object.keys(nodejs.install)).toContain("swagger-ui-dist");
      for (const [name, version] of Object.entries(nodejs.install)) expect(version, name).toBe(deps[name]);
    });

    it("is reached through the HTTP API's catch-all route", () => {
      const http = one(prod.registry, "sst.aws.ApiGatewayV2", "HttpApi") as Recorded & { routes: { route: string; handler: unknown }[] };
      expect(http.routes.map((r) => [r.route, String(r.handler)])).toEqual([["$default", "{Api.arn}"]]);
    });

    it("has CORS for the headers the API reads, and stage throttling", () => {
      const { cors, transform } = one(prod.registry, "sst.aws.ApiGatewayV2", "HttpApi").args;
      expect(cors.allowHeaders).toEqual(expect.arrayContaining(["content-type", "authorization", "x-api-key"]));
      const { throttlingRateLimit, throttlingBurstLimit } = transform.stage.defaultRouteSettings;
      expect(throttlingRateLimit).toBeGreaterThan(0);
      expect(throttlingBurstLimit).toBeGreaterThanOrEqual(throttlingRateLimit);
    });
  });
});
