import { z } from "zod";
import { procedures } from "./procedures.ts";
import type { Access } from "./trpc.ts";

/**
 * The REST route table, built once from the router: each procedure's `meta.openapi` (method and
 * path, the same source trpc-to-openapi generates the OpenAPI document from) becomes a route. The
 * table matches a request to its procedure and path parameters, knows which methods a path
 * has (405 + Allow) and which parameters are secrets (the access log writes them as
 * `[redacted]`). Its small helpers mirror trpc-to-openapi's `forEachOpenApiProcedure` and
 * `normalizePath` rather than importing them: that package's entry point also loads its adapters,
 * which would bring the generator, co-body and iconv-lite into the Lambda bundle.
 */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** A literal segment matches in any case (`literal`, lower-case) and is reported as the template spells it (`text`). */
type Segment = { literal: string; text: string } | { param: string; secret: boolean };

export type Route = {
  method: Method;
  /** The path as declared, e.g. `/auth/token/{tokenType}/verify/{token}`. */
  template: string;
  /** The procedure's path in the router, e.g. `auth.verify`. */
  procedure: string;
  segments: readonly Segment[];
  /** Path parameters that carry a secret (`meta.secretParams`): never reported, only `[redacted]`. */
  secret: ReadonlySet<string>;
  access: Access | undefined;
  /** The input comes from the JSON body (POST, PUT, PATCH) rather than the query string. */
  body: boolean;
  /** The body's media types (`meta.openapi.contentTypes`, default JSON), lower-case. */
  mediaTypes: readonly string[];
  /** `z.void()` input: the procedure takes nothing, whatever the request carries. */
  noInput: boolean;
  /** Input keys that are arrays (a single query value becomes a one-element array) and numbers (query strings are coerced). */
  arrayKeys: ReadonlySet<string>;
  numberKeys: ReadonlySet<string>;
  /** Each input key's schema, to tell whether a path parameter's value is one it accepts. */
  fields: ReadonlyMap<string, z.ZodType>;
};

/** The schema under optional/nullable/default/pipe wrappers: what the value itself must be. */
const unwrap = (schema: unknown): unknown => {
  let s = schema;
  for (let depth = 0; depth < 16; depth++) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodReadonly
    )
      s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else return s;
  }
  return s;
};

const describeInput = (inputs: readonly unknown[]) => {
  const arrayKeys = new Set<string>();
  const numberKeys = new Set<string>();
  const fields = new Map<string, z.ZodType>();
  const schemas = inputs.map(unwrap);
  for (const schema of schemas) {
    if (!(schema instanceof z.ZodObject)) continue;
    for (const [key, field] of Object.entries(schema.shape as Record<string, unknown>)) {
      if (field instanceof z.ZodType) fields.set(key, field);
      const inner = unwrap(field);
      if (inner instanceof z.ZodArray) arrayKeys.add(key);
      if (inner instanceof z.ZodNumber) numberKeys.add(key);
    }
  }
  const noInput =
    schemas.length === 1 &&
    (schemas[0] instanceof z.ZodVoid || schemas[0] instanceof z.ZodUndefined || schemas[0] instanceof z.ZodNever);
  return { arrayKeys, numberKeys, fields, noInput };
};

/** `/a/b/` → `/a/b`: one leading and one trailing slash are not part of the path (as trpc-to-openapi's `normalizePath`). */
export const normalizePath = (path: string) => `/${path.replace(/^\/|\/$/g, "")}`;

const parseTemplate = (template: string, secret: ReadonlySet<string>): Segment[] =>
  normalizePath(template)
    .slice(1)
    .split("/")
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part)?.[1];
      return param ? { param, secret: secret.has(param) } : { literal: part.toLowerCase(), text: part };
    });

/** A secret parameter the template does not have is a typo that would leave the real one unredacted: refuse to start. */
const checkSecrets = (procedure: string, segments: readonly Segment[], secret: ReadonlySet<string>) => {
  const params = new Set(segments.flatMap((s) => ("param" in s ? [s.param] : [])));
  for (const name of secret)
    if (!params.has(name))
      throw new Error(`${procedure}: meta.secretParams names '${name}', which is not a parameter of its path`);
};

const buildRoutes = (): Route[] => {
  const routes: Route[] = [];
  for (const [procedure, p] of Object.entries(procedures)) {
    const meta = p._def.meta;
    const openapi = meta?.openapi;
    if (!openapi || openapi.enabled === false || p._def.type === "subscription") continue;
    const method = openapi.method;
    const secret = new Set(meta.secretParams ?? []);
    const segments = parseTemplate(openapi.path, secret);
    checkSecrets(procedure, segments, secret);
    routes.push({
      method,
      template: openapi.path,
      procedure,
      segments,
      secret,
      access: meta.access,
      body: method === "POST" || method === "PUT" || method === "PATCH",
      mediaTypes: (openapi.contentTypes ?? ["application/json"]).map((t) => t.toLowerCase()),
      ...describeInput(p._def.inputs),
    });
  }
  return routes;
};

export const ROUTES: readonly Route[] = buildRoutes();

/**
 * A path segment as a value: percent-decoded (`%40Ada` is `@Ada`, `%2F` a slash inside the value);
 * a malformed escape stays as it came.
 */
const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The request path split into decoded segments, after `normalizePath`. */
export const pathSegments = (rawPath: string): string[] =>
  normalizePath(rawPath).slice(1).split("/").map(decodeSegment);

const matchSegments = (route: Route, segments: readonly string[]): Record<string, string> | undefined => {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i];
    const actual = segments[i] ?? "";
    if (!expected) return undefined;
    if ("literal" in expected) {
      if (actual.toLowerCase() !== expected.literal) return undefined;
    } else {
      if (actual === "") return undefined;
      params[expected.param] = actual;
    }
  }
  return params;
};

export type Match =
  | { kind: "route"; route: Route; params: Record<string, string> }
  /** The path exists with other methods: `allow` lists them (HEAD with GET), `route` is the first. */
  | { kind: "method"; allow: string[]; route: Route; params: Record<string, string> }
  | { kind: "none" };

/**
 * The route for a method and a raw (still percent-encoded) path. Literal segments match in any
 * case; the first route in the router's order wins. HEAD is GET without the body.
 */
export const matchRoute = (method: string, rawPath: string): Match => {
  const segments = pathSegments(rawPath);
  const wanted = method === "HEAD" ? "GET" : method;
  const allow = new Set<Method>();
  let other: { route: Route; params: Record<string, string> } | undefined;
  for (const route of ROUTES) {
    const params = matchSegments(route, segments);
    if (!params) continue;
    if (route.method === wanted) return { kind: "route", route, params };
    allow.add(route.method);
    other ??= { route, params };
  }
  if (!other) return { kind: "none" };
  return {
    kind: "method",
    allow: METHODS.filter((m) => allow.has(m)).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])),
    ...other,
  };
};

/**
 * The path of a matched request as logs may show it: the route's template, `[redacted]` for each
 * secret parameter, and for the others their value if it is a valid one (`*` if not: a token sent
 * where an id goes, `%2F` included, is not copied out either). Built from the match, so however
 * the request spelled the path (case, slashes, escapes), a secret segment never reaches the log.
 */
export const reportedPath = (route: Route, params: Record<string, string>): string =>
  `/${route.segments
    .map((s) => {
      if ("literal" in s) return s.text;
      if (s.secret) return "[redacted]";
      const value = params[s.param] ?? "";
      return route.fields.get(s.param)?.safeParse(value).success ? value : "*";
    })
    .join("/")}`;

/** Every literal segment of the route table, lower-case (the access log's vocabulary for unmatched paths). */
export const LITERALS: ReadonlySet<string> = new Set(
  ROUTES.flatMap((r) => r.segments.flatMap((s) => ("literal" in s ? [s.literal] : []))),
);
