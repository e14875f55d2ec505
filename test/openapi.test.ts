import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { User } from "@iam/core";
import { BODY_EXAMPLES, ERROR_CODES } from "@iam/functions/openapi-content";
import { ARTIFACTS, renderArtifacts } from "../packages/client/scripts/artifacts.ts";
import { baseUrl } from "./helpers.ts";
import { operationsOf, responseOf, servedDoc, type Doc } from "./support/openapi-doc.ts";

/** The document as the service serves it at /openapi.json (the committed one, servers filled in). */
let served: Doc;
const doc = () => served;
const operations = () => operationsOf(served);
beforeAll(async () => {
  served = await servedDoc();
});

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("gives every operation a summary, described tags and the one security scheme its procedure takes", () => {
    const tags = new Map((doc().tags ?? []).map((t) => [t.name, t.description]));
    expect(operations().length).toBeGreaterThanOrEqual(15);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toMatch(/\w/);
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(tags.get(tag), `description of tag "${tag}"`).toMatch(/\w{3}/);
      expect(op.security, where).toEqual(
        path.startsWith("/public/") ? [{ bearer: [] }] : path.startsWith("/health") ? [] : [{ apiKey: [] }],
      );
    }
    expect(doc().servers?.length).toBeGreaterThan(0);
  });

  it("documents the errors each operation can answer with, as the shared ErrorBody schema", () => {
    const codes = doc().components.schemas.ErrorBody?.properties?.code?.enum;
    expect(codes).toEqual([...ERROR_CODES]);
    for (const { path, method, op } of operations()) {
      if (path.startsWith("/health")) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      expect(
        statuses.filter((s) => s.startsWith("2")),
        where,
      ).toEqual([where === "POST /user" ? "201" : "200"]);
      expect(statuses, where).toEqual(expect.arrayContaining(["400", "405", "429", "500", "503"]));
      if (op.security?.length) expect(statuses, where).toContain("401");
      if (op.parameters?.length || op.requestBody) expect(statuses, where).toContain("400");
      if (path.includes("{"))
        expect(
          statuses.some((s) => s === "404" || s === "400"),
          where,
        ).toBe(true);
      if (op.requestBody) expect(statuses, where).toContain("413");
      for (const [status, ref] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const response = responseOf(doc(), ref);
        const json = response?.content?.["application/json"];
        expect(json?.schema, `${where} ${status}`).toEqual({ $ref: "#/components/schemas/ErrorBody" });
        expect(codes, `${where} ${status} example`).toContain((json?.example as { code?: string } | undefined)?.code);
        expect(response?.description, `${where} ${status}`).toMatch(/\w/);
      }
    }
    const op = (method: string, path: string) => doc().paths[path]?.[method]?.responses ?? {};
    expect(Object.keys(op("post", "/user"))).toContain("409");
    expect(Object.keys(op("get", "/user/activate/{activationCode}"))).toEqual(expect.arrayContaining(["404", "410"]));
    expect(Object.keys(op("post", "/auth/login"))).toContain("403");
    expect(Object.keys(doc().components.schemas).filter((name) => name.startsWith("error."))).toEqual([]);
  });

  it("carries examples that the API itself accepts and returns", () => {
    const register = doc().paths["/user"]?.post?.requestBody?.content["application/json"]?.example;
    expect(register).toBeDefined();
    expect(register).toEqual(BODY_EXAMPLES["POST /user"]);
    expect(User.RegisterInput.safeParse(register).success).toBe(true);
    const schemas = doc().components.schemas;
    expect(User.Info.strict().safeParse(schemas.User?.example).error).toBeUndefined();
    expect(User.Registered.strict().safeParse(schemas.RegisteredUser?.example).error).toBeUndefined();
    for (const { path, method, op } of operations()) {
      const example = op.requestBody?.content["application/json"]?.example;
      if (example !== undefined)
        expect(Object.keys(BODY_EXAMPLES), `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
    }
  });

  it("refuses a call without credentials with a documented 401, on every protected operation", async () => {
    for (const { path, method, op } of operations()) {
      if (!op.security?.length) continue;
      const url = baseUrl() + path.replace(/\{[^}]+\}/g, "x");
      const hasBody = ["post", "put", "patch"].includes(method);
      const res = await fetch(url, {
        method: method.toUpperCase(),
        headers: hasBody ? { "content-type": "application/json" } : {},
        body: hasBody ? "{}" : undefined,
      });
      expect(res.status, `${method.toUpperCase()} ${path}`).toBe(401);
      expect(await res.json()).toMatchObject({ code: "UNAUTHORIZED", message: expect.any(String) });
    }
  });
});

describe("committed artifacts (packages/client/openapi.json, packages/client/src/rest-types.ts)", () => {
  it("match the router: run `npm run openapi` after changing a procedure", async () => {
    const fresh = await renderArtifacts();
    expect(await readFile(ARTIFACTS.json, "utf8"), "openapi.json is stale: run `npm run openapi`").toBe(fresh.json);
    expect(await readFile(ARTIFACTS.types, "utf8"), "rest-types.ts is stale: run `npm run openapi`").toBe(fresh.types);
  });

  it("are what the service serves at /openapi.json, with its own origin as the server", async () => {
    const committed = JSON.parse(await readFile(ARTIFACTS.json, "utf8"));
    const fetched = await (await fetch(`${baseUrl()}/openapi.json`)).json();
    expect(fetched).toEqual({ ...committed, servers: [{ url: baseUrl(), description: expect.any(String) }] });
    expect(Object.keys(fetched)).toEqual(Object.keys(committed));
  });
});
