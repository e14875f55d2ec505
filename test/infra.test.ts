/**
 * The code and the infrastructure agree.
 *
 * This loads `sst.config.ts` and `infra/*.ts` with recording stand-ins for SST's globals
 * (test/fixtures/sst-globals.ts) and checks the STRUCTURE of the program: which components it
 * declares, with which arguments, and what is linked to the function. It deploys nothing and
 * talks to neither AWS nor Pulumi, so it cannot catch what only a deployment would (IAM
 * propagation, quotas, a provider rejecting a value).
 */
import { API_ENTRY, API_HANDLER, API_TARGET } from "../infra/build.ts";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Entity } from "electrodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Assets, Avatar, TableDefinition, User } from "@iam/core";
import { ROLES } from "@iam/core/testing";
import { CORS_ORIGINS, corsOriginsFor } from "../infra/settings.ts";
import {
  Asset,
  Interpolation,
  Ref,
  evaluateConfig,
  installSstGlobals,
  type Evaluated,
  type Recorded,
} from "./fixtures/sst-globals.ts";

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

/**
 * Read only by the event delivery functions (infra/events.ts), which are given them there and not
 * the Api (test/infra-events.test.ts checks those); every other resource the code reads is the Api's.
 */
const DELIVERY_RESOURCES = ["EventBus", "WebhookQueue", "IamWebhookUrls", "IamWebhookSecret"];

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
      for (const stage of ["prod", "production"])
        expect(config.app({ stage })).toMatchObject({ removal: "retain", protect: true });
      expect(config.app({ stage: "dev" })).toMatchObject({ removal: "remove", protect: false });
    });

    it("outputs the API URL and its /docs page", () => {
      expect(prod.outputs).toEqual({ api: expect.any(Ref), docs: expect.any(Interpolation) });
      expect(String(prod.outputs.api)).toBe("{HttpApi.url}");
      expect((prod.outputs.docs as Interpolation).text).toBe("{HttpApi.url}/docs");
    });
  });

  describe("stand-ins", () => {
    // The structural checks below are only as good as the stand-ins: an option SST or Pulumi does
    // not have (a typo, an invented name) must fail here, not at `sst deploy`.
    /** Fresh stand-ins on globalThis, as `sst.config.ts` sees them. */
    const globals = (): { sst: any; aws: any } => {
      uninstall();
      uninstall = installSstGlobals().uninstall;
      return globalThis as unknown as { sst: any; aws: any };
    };

    it("refuse an option name a component does not have, at any depth that is checked", () => {
      const { sst, aws } = globals();
      expect(() => new sst.aws.Bucket("B", { acess: "public" })).toThrow(/acess/);
      expect(
        () => new sst.aws.CognitoUserPool("P", { transform: { userPool: { passwordPolicy: { minLength: 12 } } } }),
      ).toThrow(/transform\.userPool\.passwordPolicy\.minLength/);
      expect(() => new sst.aws.CognitoUserPool("P", { triggers: { preTokenGenerationV2: "x.handler" } })).toThrow(
        /preTokenGenerationV2/,
      );
      expect(() => new aws.cognito.UserPoolClient("C", { userPoolId: "p", generateClientSecret: false })).toThrow(
        /generateClientSecret/,
      );
      expect(() => new sst.aws.Function("F", { handler: "h.handler", enviroment: {} })).toThrow(/enviroment/);
      expect(() => new sst.aws.ApiGatewayV2("A", { cors: { allowOrigin: ["*"] } })).toThrow(/cors\.allowOrigin/);
      expect(() => new sst.aws.Bucket("B", { lifecycle: [{ prefix: "x/", expiresInDays: 1 }] })).toThrow(
        /lifecycle\[0\]\.expiresInDays/,
      );
    });

    it("accept every option name the real interfaces have (and deploy-time values anywhere)", () => {
      const { sst, aws } = globals();
      const bucket = new sst.aws.Bucket("B", {
        access: "cloudfront",
        lifecycle: [{ id: "x", prefix: "x/", expiresIn: "1 day" }],
        policy: [{ actions: ["s3:GetObject"], principals: "*", paths: ["a/*"] }],
        transform: { publicAccessBlock: { blockPublicPolicy: false }, bucket: (args: unknown) => args },
      });
      expect(
        () => new aws.s3.BucketObjectv2("O", { bucket: bucket.name, key: "k", source: "s", contentType: "t" }),
      ).not.toThrow();
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
      for (const name of resourcesRead.filter((n) => !DELIVERY_RESOURCES.includes(n))) {
        expect(
          prod.registry.some((c) => c.logicalName === name),
          `${name} declared`,
        ).toBe(true);
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
      for (const name of declared.keys())
        if (name !== "App") expect(components.has(name), `${name} in infra`).toBe(true);
      for (const [name, decl] of declared) {
        const c = components.get(name);
        if (!c) continue;
        expect(decl.type, name).toBe(c.type);
        if (c.type === "sst.sst.Linkable")
          expect(decl.keys.sort(), name).toEqual(Object.keys(c.args.properties).sort());
      }
    });

    it("gives no permission through a link: every function's role is its `permissions` (test/infra-permissions.test.ts)", () => {
      // SST's own link of a table, bucket or pool grants `dynamodb:*`, `s3:*` or `cognito-idp:*` on
      // all of it; infra/storage.ts links the table and the bucket with their names only.
      const functions = [
        ...prod.registry.filter((c) => c.type === "sst.aws.Function").map((c) => c.args),
        ...prod.registry.filter((c) => c.type === "sst.aws.Cron").map((c) => c.args.function),
      ];
      expect(functions.length).toBeGreaterThanOrEqual(3);
      for (const fn of functions)
        for (const linked of (fn.link ?? []) as Recorded[])
          expect(linked.getSSTLink().include ?? [], `${fn.handler} → ${linked.logicalName}`).toEqual([]);
      for (const [type, name] of [
        ["sst.aws.Dynamo", "Table"],
        ["sst.aws.Bucket", "Assets"],
      ] as const) {
        const link = one(prod.registry, type, name).getSSTLink();
        expect(Object.keys(link.properties), name).toEqual(["name"]);
        expect(String(link.properties.name)).toBe(`{${name}.name}`);
      }
    });

    it("models SST's own links, so that a component linked without infra/storage.ts's wrap would show its wildcard grant", () => {
      uninstall();
      const fresh = installSstGlobals();
      uninstall = fresh.uninstall;
      const { sst } = globalThis as unknown as { sst: any };
      const include = (c: Recorded) =>
        (c.getSSTLink().include ?? []).map(
          (i) => `${(i.actions as string[]).join(",")} ${(i.resources as unknown[]).map(String).join(",")}`,
        );
      expect(include(new sst.aws.Dynamo("T", {}))).toEqual(["dynamodb:* {T.arn},{T.arn}/*"]);
      expect(include(new sst.aws.Bucket("B", {}))).toEqual(["s3:* {B.arn},{B.arn}/*"]);
      expect(include(new sst.aws.CognitoUserPool("P", {}))).toEqual(["cognito-idp:* {P.arn}"]);
    });

    it("gives SST components unique names, none of them the reserved App", () => {
      const names = prod.registry.filter((c) => c.type.startsWith("sst.")).map((c) => c.logicalName.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toContain("app");
    });
  });

  describe("settings", () => {
    /**
     * Variables the code may read that no one declares: Lambda's runtime sets them. (None is read
     * today; listed so that reading one is not mistaken for a missing setting.)
     */
    const RUNTIME_PROVIDED = [
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
      "AWS_EXECUTION_ENV",
    ];
    /** Declared for the libraries, not read by the service's code: tRPC treats any other NODE_ENV as development. */
    const FOR_LIBRARIES = ["NODE_ENV"];
    /** The service's code: packages/core and packages/functions (the local harness and the client are not deployed code). */
    const deployed = [...sources("packages/core/src"), ...sources("packages/functions/src")];

    it("reads process.env only as process.env.NAME (so that the scan below sees every setting)", () => {
      const other = deployed.flatMap((f) =>
        [...read(f).matchAll(/process\.env(?!\.[A-Z_][A-Z0-9_]*\b)(?!\[\s*["'][A-Z_][A-Z0-9_]*["']\s*\])/g)].map(
          (m) => `${f}: …${read(f).slice(m.index, m.index + 30)}`,
        ),
      );
      expect(other).toEqual([]);
    });

    it("declares every setting the code reads in the Api function's environment, and nothing else, on every stage", () => {
      const readByCode = new Set([
        ...matches(deployed, /process\.env\.([A-Z_][A-Z0-9_]*)\b/g),
        ...matches(deployed, /process\.env\[\s*["']([A-Z_][A-Z0-9_]*)["']\s*\]/g),
      ]);
      expect([...readByCode]).toContain("LOG_LEVEL"); // a guard on the scan itself
      // `IAM_WEBHOOK_*` are the webhook sender's own (infra/events.ts; test/infra-events.test.ts).
      const expected = [...readByCode]
        .filter((v) => !RUNTIME_PROVIDED.includes(v) && !v.startsWith("IAM_WEBHOOK_"))
        .sort();
      for (const stage of [prod, dev]) {
        const declared = Object.keys(one(stage.registry, "sst.aws.Function", "Api").args.environment).filter(
          (v) => !FOR_LIBRARIES.includes(v),
        );
        expect(declared.sort(), stage.app.stage).toEqual(expected);
      }
    });

    it("declares the tunables with the values the code falls back to, as strings", () => {
      const env = one(prod.registry, "sst.aws.Function", "Api").args.environment as Record<string, unknown>;
      for (const [name, value] of Object.entries(env)) expect(typeof value, name).toBe("string");
      expect(env).toMatchObject({
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        IAM_ACTIVATION_TTL_SECONDS: String(72 * 3600),
        IAM_LOCKOUT_MAX_FAILURES: "5",
        IAM_LOCKOUT_WINDOW_SECONDS: String(15 * 60),
      });
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
        const indexes = entity.schema.indexes as Record<
          string,
          { index?: string; pk: { field: string }; sk?: { field: string } }
        >;
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
    /** Does a bucket-policy path (`avatars/*`) cover this key? `*` matches anything, `/` included, as in IAM. */
    const covers = (path: string, key: string) =>
      new RegExp(
        `^${path
          .split("*")
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      ).test(key);
    const userId = "6b09fb7c-518f-48df-9e2d-d406b5cc6965";

    it("makes only the public prefixes readable by anyone (badge icons, published avatars), not the whole bucket", () => {
      const { args } = one(prod.registry, "sst.aws.Bucket", "Assets");
      expect(args.access).toBeUndefined(); // SST's "public" would grant s3:GetObject on every key
      expect(args.public).toBeUndefined();
      expect(args.policy).toEqual([{ principals: "*", actions: ["s3:GetObject"], paths: ["badges/*", "avatars/*"] }]);
      const paths: string[] = args.policy[0].paths;
      expect(paths).toEqual(Assets.PUBLIC_PREFIXES.map((p) => `${p}*`));
      const publicKey = Avatar.publishedKeyOf(`${Assets.uploadPrefix(userId)}AAAAAAAAAAAAAAAAAAAAA.png`, userId);
      for (const key of [Assets.badgeIconKey("NEW_MEMBER"), publicKey])
        expect(
          paths.some((p) => covers(p, key)),
          key,
        ).toBe(true);
      for (const key of [
        `${Assets.uploadPrefix(userId)}AAAAAAAAAAAAAAAAAAAAA.png`,
        `users/${userId}/avatar/x.png`,
        "x",
      ])
        expect(
          paths.some((p) => covers(p, key)),
          key,
        ).toBe(false);
    });

    it("lets that policy past S3's public access block, and nothing else (no ACLs)", () => {
      const { publicAccessBlock } = one(prod.registry, "sst.aws.Bucket", "Assets").args.transform;
      expect(publicAccessBlock).toEqual({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      });
    });

    it("expires unconfirmed uploads after a day, and only them", () => {
      const { lifecycle } = one(prod.registry, "sst.aws.Bucket", "Assets").args;
      expect(lifecycle).toEqual([{ id: "expire-unconfirmed-uploads", prefix: "uploads/", expiresIn: "1 day" }]);
      expect(Assets.uploadPrefix(userId).startsWith(lifecycle[0].prefix)).toBe(true);
      for (const p of Assets.PUBLIC_PREFIXES) expect(p.startsWith(lifecycle[0].prefix)).toBe(false);
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
        minimumLength: User.PasswordPolicy.MinimumLength,
        requireLowercase: User.PasswordPolicy.RequireLowercase,
        requireUppercase: User.PasswordPolicy.RequireUppercase,
        requireNumbers: User.PasswordPolicy.RequireNumbers,
        requireSymbols: User.PasswordPolicy.RequireSymbols,
      });
      // …and that policy is what the API checks: the same minimum length, and a composition rule
      // only where the policy has one (a password of lower-case letters passes the API iff the pool takes it).
      const policy = User.PasswordPolicy;
      const lowerCaseOnly = "mellowtangerinequizzical".slice(0, policy.MinimumLength);
      expect(User.NewPassword.safeParse(lowerCaseOnly).success).toBe(
        !policy.RequireUppercase && !policy.RequireNumbers && !policy.RequireSymbols,
      );
      expect(User.NewPassword.safeParse(lowerCaseOnly.slice(1)).success).toBe(false);
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
      // The flows the code asks for: an AuthFlow literal, or the Cognito adapter's initiateAuth(flow, …).
      const flows = [...matches(core(), /(?:AuthFlow:\s*|initiateAuth\(\s*)"(\w+)"/g)];
      expect(flows).toContain("ADMIN_USER_PASSWORD_AUTH");
      const allow = (flow: string) => (flow === "REFRESH_TOKEN" ? "ALLOW_REFRESH_TOKEN_AUTH" : `ALLOW_${flow}`);
      expect(client.explicitAuthFlows).toEqual(
        expect.arrayContaining([...flows.map(allow), "ALLOW_REFRESH_TOKEN_AUTH"]),
      );
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

    it("gives the app client write access to no identity attribute (and no attribute the service sets)", () => {
      const client = one(prod.registry, "aws.cognito.UserPoolClient").args;
      const setByService = [...matches(core(), /Name:\s*"([\w:]+)"/g)];
      expect(setByService).toEqual(expect.arrayContaining(["email", "email_verified"]));
      const identity = [
        "sub",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
        "preferred_username",
        "name",
      ];
      // An empty list would mean "every attribute" (Terraform, so Pulumi, leaves it unset:
      // hashicorp/terraform-provider-aws#28684), so the list names something harmless.
      expect(client.writeAttributes.length).toBeGreaterThan(0);
      for (const attribute of [...identity, ...setByService]) expect(client.writeAttributes).not.toContain(attribute);
    });

    it("keeps an e-mail change pending until the new address is verified", () => {
      const pool = one(prod.registry, "sst.aws.CognitoUserPool", "UserPool").args.transform.userPool;
      expect(pool.userAttributeUpdateSettings).toEqual({ attributesRequireVerificationBeforeUpdates: ["email"] });
      // Cognito requires the attribute to be auto-verified for the setting to apply.
      expect(pool.autoVerifiedAttributes).toEqual(["email"]);
    });

    it("turns Cognito's own account recovery off: only an administrator (this service) recovers accounts", () => {
      const pool = one(prod.registry, "sst.aws.CognitoUserPool", "UserPool").args.transform.userPool;
      expect(pool.accountRecoverySetting).toEqual({ recoveryMechanisms: [{ name: "admin_only", priority: 1 }] });
    });

    it("allows the app client exactly the server-side password flow and refresh: no USER_*, SRP, custom or OAuth flows", () => {
      const client = one(prod.registry, "aws.cognito.UserPoolClient").args;
      expect([...client.explicitAuthFlows].sort()).toEqual([
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ]);
      expect(client.allowedOauthFlows).toBeUndefined();
      expect(client.allowedOauthFlowsUserPoolClient).not.toBe(true);
    });

    it("strips the aws.cognito.signin.user.admin scope from access tokens: a V2 pre-token-generation trigger on an Essentials pool", async () => {
      const pool = one(prod.registry, "sst.aws.CognitoUserPool", "UserPool").args;
      const trigger = one(prod.registry, "sst.aws.Function", "PreTokenGeneration");
      expect(pool.triggers).toEqual({ preTokenGeneration: expect.any(Ref), preTokenGenerationVersion: "v2" });
      expect(String(pool.triggers.preTokenGeneration)).toBe("{PreTokenGeneration.arn}");
      // Access-token customisation is not in the Lite plan.
      expect(["ESSENTIALS", "PLUS"]).toContain(pool.transform.userPool.userPoolTier);
      expect(pool.transform.userPool.lambdaConfig).toBeUndefined(); // it would replace SST's `triggers`
      // It reads nothing and calls nothing: no link, no permission.
      expect(trigger.args).toMatchObject({ runtime: "nodejs22.x", architecture: "arm64" });
      expect(trigger.args.link ?? []).toEqual([]);
      expect(trigger.args.permissions ?? []).toEqual([]);
      const [file, exported] = (trigger.args.handler as string).split(".") as [string, string];
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, `${file}.ts`));
      expect(typeof mod[exported]).toBe("function");
      expect(mod.ADMIN_SCOPE).toBe("aws.cognito.signin.user.admin");
    });

    it("links Auth as the pool id, the client id and the pool's issuer URL", () => {
      const { properties } = one(prod.registry, "sst.sst.Linkable", "Auth").args;
      expect(String(properties.userPoolId)).toBe("{UserPool.id}");
      expect(String(properties.clientId)).toBe(`{${one(prod.registry, "aws.cognito.UserPoolClient").logicalName}.id}`);
      expect((properties.issuer as Interpolation).text).toBe(
        "https://cognito-idp.{aws.region}.amazonaws.com/{UserPool.id}",
      );
    });
  });

  describe("reconciler", () => {
    const cron = () => one(prod.registry, "sst.aws.Cron", "Reconciler").args;

    it("runs every minute a Node.js 22 arm64 function whose handler file exports it", async () => {
      expect(cron().schedule).toBe("rate(1 minute)");
      const fn = cron().function;
      expect(fn).toMatchObject({
        runtime: "nodejs22.x",
        architecture: "arm64",
        environment: { NODE_ENV: "production" },
      });
      const [file, exported] = (fn.handler as string).split(".") as [string, string];
      expect(file).toBe("packages/functions/src/reconciler");
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, `${file}.ts`));
      expect(typeof mod[exported]).toBe("function");
    });

    it("is linked to the table, the assets bucket and the pool (what it may do: test/infra-permissions.test.ts)", () => {
      const fn = cron().function;
      expect((fn.link as Recorded[]).map((c) => c.logicalName).sort()).toEqual(["Assets", "Auth", "Table"]);
    });

    it("has a timeout above one item's request budget, so a pass is not cut short on the first slow item", () => {
      expect(Number.parseInt(cron().function.timeout as string, 10)).toBeGreaterThanOrEqual(30);
    });
  });

  describe("secrets", () => {
    it("declares the bootstrap API key as the IamApiKey secret", () => {
      one(prod.registry, "sst.sst.Secret", "IamApiKey");
    });

    it("declares the cursor MAC key and the API-key-id MAC key as their own secrets, linked to the function, no placeholder", () => {
      const linked = (one(prod.registry, "sst.aws.Function", "Api").args.link as Recorded[]).map((c) => c.logicalName);
      for (const name of ["IamCursorSecret", "IamKeyIdSecret"]) {
        // No placeholder: a stage without the secret set refuses to deploy rather than run on a known value.
        expect(one(prod.registry, "sst.sst.Secret", name).args).toEqual({ placeholder: undefined });
        expect(linked).toContain(name);
      }
    });
  });

  describe("api", () => {
    it("is one function on Node.js 22, arm64, shipping the directory infra/build.ts builds, handler.handler in it", async () => {
      const fn = one(prod.registry, "sst.aws.Function", "Api").args;
      expect(await fn.bundle).toMatch(/\.sst\/artifacts\/api-/);
      expect(fn).toMatchObject({
        handler: "handler.handler",
        runtime: "nodejs22.x",
        architecture: "arm64",
        environment: { NODE_ENV: "production" },
      });
    });

    it("builds from a source file that exports the handler function, for Lambda's Node 22", async () => {
      expect(API_TARGET).toBe("node22");
      expect(existsSync(join(root, API_ENTRY))).toBe(true);
      const mod: Record<string, unknown> = await import(/* @vite-ignore */ join(root, API_ENTRY));
      expect(typeof mod[API_HANDLER.split(".")[1] ?? ""]).toBe("function");
    });

    it("ships swagger-ui-dist's files for /docs at the version packages/functions pins (SST's `nodejs.install` does not apply to a `bundle`)", async () => {
      const { nodejs, bundle } = one(prod.registry, "sst.aws.Function", "Api").args;
      expect(nodejs).toBeUndefined();
      const dir = (await bundle) as string;
      const shipped = JSON.parse(readFileSync(join(dir, "node_modules/swagger-ui-dist/package.json"), "utf8")) as {
        version: string;
      };
      // The version installed for packages/functions, which its tests run against.
      const installed = JSON.parse(read("node_modules/swagger-ui-dist/package.json")) as { version: string };
      expect(shipped.version).toBe(installed.version);
    });

    it("is reached through the HTTP API's catch-all route", () => {
      const http = one(prod.registry, "sst.aws.ApiGatewayV2", "HttpApi") as Recorded & {
        routes: { route: string; handler: unknown }[];
      };
      expect(http.routes.map((r) => [r.route, String(r.handler)])).toEqual([["$default", "{Api.arn}"]]);
    });

    it("leaves CORS to the app: the HTTP API answers no preflight itself", () => {
      // SST's ApiGatewayV2 defaults to `cors: true` (every origin, method and header) when the
      // option is left out, so only an explicit `false` keeps API Gateway out of CORS.
      for (const stage of [prod, dev])
        expect(one(stage.registry, "sst.aws.ApiGatewayV2", "HttpApi").args.cors).toBe(false);
    });

    it("gives the app the stage's browser origins as IAM_CORS_ORIGINS: none unless infra lists them, never a wildcard", () => {
      for (const stage of [prod, dev]) {
        const env = one(stage.registry, "sst.aws.Function", "Api").args.environment;
        expect(env.IAM_CORS_ORIGINS, stage.app.stage).toBe(corsOriginsFor(stage.app.stage));
      }
      expect(corsOriginsFor("dev-alice", {})).toBe("");
      expect(corsOriginsFor("prod", { prod: ["https://app.example.com", "https://admin.example.com"] })).toBe(
        "https://app.example.com,https://admin.example.com",
      );
      expect(corsOriginsFor("production", { prod: ["https://app.example.com"] })).toBe("https://app.example.com");
      for (const origins of Object.values(CORS_ORIGINS))
        for (const origin of origins) expect(new URL(origin).origin, origin).toBe(origin); // an origin, not "*" or a URL with a path
    });

    it("has stage throttling", () => {
      const { transform } = one(prod.registry, "sst.aws.ApiGatewayV2", "HttpApi").args;
      const { throttlingRateLimit, throttlingBurstLimit } = transform.stage.defaultRouteSettings;
      expect(throttlingRateLimit).toBeGreaterThan(0);
      expect(throttlingBurstLimit).toBeGreaterThanOrEqual(throttlingRateLimit);
    });
  });
});
