import { serve, type ServerType } from "@hono/node-server";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "@iam/functions/app";
import { openApiDocument } from "@iam/functions/openapi";
import { activeUser, apiKey } from "../helpers.ts";

/**
 * Request bounds (issue 14 item 4): an oversized value in ANY string field of ANY operation (the
 * fields come from the OpenAPI document: path, query, header and body) is a 4xx, never a 5xx, and
 * is refused by its maximum length before any costly check looks at it: no pattern of the schemas runs on it, no
 * `Intl.getCanonicalLocales`, no common-password lookup (`normalize`). Every integer input has
 * bounds. The app runs in this process, served over a real socket (Node's header limits apply),
 * so the spies see what it does.
 */
type Schema = {
  type?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  $ref?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
};
type Parameter = { name: string; in: "path" | "query" | "header"; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, unknown>[];
};

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const resolve = (s: Schema | undefined): Schema =>
  s?.$ref ? (doc.components.schemas[s.$ref.split("/").pop() ?? ""] ?? {}) : (s ?? {});
const isString = (s: Schema): boolean =>
  s.type === "string" || Boolean(s.anyOf?.length && s.anyOf.every((o) => isString(resolve(o))));
const isEnum = (s: Schema) => Array.isArray(s.enum) || Boolean(s.anyOf?.some((o) => Array.isArray(resolve(o).enum)));

type Field = {
  method: string;
  path: string;
  op: Operation;
  where: "path" | "query" | "header" | "body";
  name: string;
  schema: Schema;
  array: boolean;
};
const fields: Field[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, op]) => {
    const list: Field[] = (op.parameters ?? []).map((p) => ({
      method,
      path,
      op,
      where: p.in,
      name: p.name,
      schema: resolve(p.schema),
      array: false,
    }));
    const body = resolve(op.requestBody?.content?.["application/json"]?.schema);
    for (const [name, s] of Object.entries(body.properties ?? {})) {
      const schema = resolve(s);
      const array = schema.type === "array";
      list.push({ method, path, op, where: "body", name, schema: array ? resolve(schema.items) : schema, array });
    }
    return list;
  }),
);
const stringFields = fields.filter((f) => isString(f.schema));
const SCHEMA_PATTERNS = new Set(
  stringFields.flatMap((f) =>
    [f.schema, ...(f.schema.anyOf ?? []).map(resolve)].flatMap((s) => (s.pattern ? [s.pattern] : [])),
  ),
);
const integerFields = fields.filter((f) => f.schema.type === "integer" || f.schema.type === "number");

/** The largest bound any string input has (tokens): a regex run on anything longer ran on unbounded input. */
const LARGEST_BOUND = 8192;
/** Fits in one request line under Node's 16 KiB header limit, so the app itself answers. */
const IN_LINE = 12_000;
/** Under the 1 MiB body limit. */
const IN_BODY = 900 * 1024;

let server: ServerType;
let url: string;
let token: string;
beforeAll(async () => {
  const port = await getPort();
  const app = createApp();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  url = `http://127.0.0.1:${port}`;
  token = (await activeUser()).tokens.accessToken;
}, 60_000);
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const credentials = (op: Operation): Record<string, string> =>
  op.security?.some((s) => "bearer" in s) ? { authorization: `Bearer ${token}` } : { "x-api-key": apiKey() };

/** The operation called with `value` in the field, every other path parameter a placeholder. */
const send = async (f: Field, value: unknown) => {
  let path = f.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    f.where === "path" && name === f.name ? String(value) : "x",
  );
  const headers: Record<string, string> = { ...credentials(f.op) };
  let body: string | undefined;
  if (f.where === "query") path += `?${f.name}=${String(value)}`;
  if (f.where === "header") headers[f.name] = String(value);
  if (["post", "put", "patch"].includes(f.method)) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(f.where === "body" ? { [f.name]: f.array ? [value] : value } : {});
  }
  const res = await fetch(`${url}${path}`, { method: f.method.toUpperCase(), headers, body });
  const text = await res.text();
  let json: { issues?: { path: (string | number)[]; code: string }[] } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
};

describe("request bounds", () => {
  it("finds the fields to try in the document", () => {
    expect(stringFields.length).toBeGreaterThanOrEqual(40);
    expect(stringFields.map((f) => `${f.method} ${f.path} ${f.where}:${f.name}`)).toEqual(
      expect.arrayContaining([
        "patch /public/user/me/profile body:lang",
        "post /user body:password",
        "get /auth/token/{tokenType}/verify/{token} path:token",
        "get /user query:cursor",
        "post /user header:idempotency-key",
      ]),
    );
  });

  it("refuses an oversized value in every string field with a 4xx, by its length, before any costly check", async () => {
    const locales = vi.spyOn(Intl, "getCanonicalLocales");
    const normalize = vi.spyOn(String.prototype, "normalize");
    const regex = vi.spyOn(RegExp.prototype, "test");
    try {
      for (const f of stringFields) {
        const where = `${f.method.toUpperCase()} ${f.path} ${f.where}:${f.name}`;
        const size = f.where === "body" ? IN_BODY : IN_LINE;
        const res = await send(f, "a".repeat(size));
        expect([400, 413, 414, 431], `${where} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        if (res.status !== 400) continue;
        // The Idempotency-Key (header, or the input's idempotencyKey) is checked by its middleware
        // before the input is parsed, with the same bounded schema; it names the key in its message.
        if (f.where === "header" || f.name === "idempotencyKey") {
          expect(res.json, where).toMatchObject({
            code: "BAD_REQUEST",
            message: expect.stringMatching(/^Idempotency-Key/),
          });
          continue;
        }
        // The field's own bound caught it: one issue at the field, "too big" (an enum: not one of its values).
        const issues = (res.json?.issues ?? []).filter((i) => i.path[0] === f.name);
        // (A union of bounded strings, the IP address, reports its members' "too big" as one invalid_union.)
        expect(
          issues.map((i) => i.code),
          where,
        ).toEqual([isEnum(f.schema) ? "invalid_value" : f.schema.anyOf ? "invalid_union" : "too_big"]);
      }
      // Far past Node's header limit: refused by Node itself, never by a 5xx.
      for (const f of stringFields.filter((x) => x.where !== "body").slice(0, 3))
        expect([414, 431]).toContain((await send(f, "a".repeat(64 * 1024))).status);
      expect(locales.mock.calls.filter(([tag]) => typeof tag === "string" && tag.length > 35)).toEqual([]);
      expect(normalize.mock.contexts.filter((s) => String(s).length > 256).length).toBe(0);
      // The input schemas' own patterns (as the document states them: the fields' patterns and
      // formats) never ran on anything longer than the largest bound. (Transport code, Node's
      // header checks or zod's own length count, may scan a long value once: that is the bound.)
      const ran = regex.mock.calls.flatMap(([input], i) =>
        typeof input === "string" && input.length > LARGEST_BOUND
          ? [String((regex.mock.contexts[i] as RegExp | undefined)?.source)]
          : [],
      );
      expect(ran.filter((source) => SCHEMA_PATTERNS.has(source))).toEqual([]);
      expect(SCHEMA_PATTERNS.size).toBeGreaterThanOrEqual(10);
    } finally {
      locales.mockRestore();
      normalize.mockRestore();
      regex.mockRestore();
    }
  }, 120_000);

  it("gives every string input a maximum length, and every integer input both bounds, in the document", () => {
    const unbounded = stringFields
      .filter((f) => !isEnum(f.schema) && !(f.schema.maxLength ?? resolveMax(f.schema)))
      .map((f) => `${f.method} ${f.path} ${f.where}:${f.name}`);
    expect(unbounded).toEqual([]);
    const open = integerFields
      .filter((f) => f.schema.minimum === undefined || f.schema.maximum === undefined)
      .map((f) => `${f.method} ${f.path} ${f.name}`);
    expect(open).toEqual([]);
    expect(integerFields.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses an out-of-range integer with 400", async () => {
    for (const f of integerFields) {
      const res = await send(f, 1e15);
      expect(res.status, `${f.method} ${f.path} ${f.name}`).toBe(400);
      expect(res.json?.issues?.find((i) => i.path[0] === f.name)?.code, `${f.method} ${f.path} ${f.name}`).toBe(
        "too_big",
      );
    }
  });
});

/** A union of strings (an IP address) is bounded when each member is. */
function resolveMax(s: Schema): number | undefined {
  const members = (s.anyOf ?? []).map(resolve);
  return members.length > 0 && members.every((m) => m.maxLength !== undefined)
    ? Math.max(...members.map((m) => m.maxLength ?? 0))
    : undefined;
}
