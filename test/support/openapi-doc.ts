/**
 * The OpenAPI document as an outside user meets it — fetched from the test server's `/openapi.json`
 * — and the few ways the tests read it: its operations, a schema with its `$ref`s followed, and
 * every schema a request sends (parameters and bodies).
 */
import { baseUrl } from "../helpers.ts";

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  description?: string;
  example?: unknown;
};
export type MediaType = { schema?: Schema; example?: unknown };
export type Header = { description?: string; required?: boolean; schema?: Schema };
export type Response = {
  $ref?: string;
  description?: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
};
export type Parameter = { in: "path" | "query" | "header"; name: string; required?: boolean; schema?: Schema };
export type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, Response>;
};
export type Doc = {
  openapi: string;
  info: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses?: Record<string, Response>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
};

let served: Promise<Doc> | undefined;
/** The document the test server serves (fetched once per test file). */
export const servedDoc = (): Promise<Doc> => {
  served ??= fetch(`${baseUrl()}/openapi.json`).then(async (res) => {
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    return (await res.json()) as Doc;
  });
  return served;
};

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => (METHODS as readonly string[]).includes(method))
      .map(([method, op]) => ({ path, method, op, where: `${method.toUpperCase()} ${path}` })),
  );

/** The schema a `$ref` names (components only: the document uses no other kind). */
export const deref = (doc: Doc, schema: Schema | undefined): Schema | undefined => {
  const seen = new Set<string>();
  let s = schema;
  while (s?.$ref) {
    if (seen.has(s.$ref)) throw new Error(`circular $ref ${s.$ref}`);
    seen.add(s.$ref);
    const name = s.$ref.replace("#/components/schemas/", "");
    s = doc.components.schemas[name];
  }
  return s;
};

/** The response a `$ref` names (error responses are shared under `components.responses`). */
export const responseOf = (doc: Doc, response: Response | undefined): Response | undefined =>
  response?.$ref ? doc.components.responses?.[response.$ref.replace("#/components/responses/", "")] : response;

/** Every leaf schema reachable from `schema`, with a readable location (`body.profile.lang`). */
export const leaves = (doc: Doc, schema: Schema | undefined, where: string): { where: string; schema: Schema }[] => {
  const s = deref(doc, schema);
  if (!s) return [];
  const found: { where: string; schema: Schema }[] = [];
  for (const key of ["allOf", "anyOf", "oneOf"] as const)
    for (const sub of s[key] ?? []) found.push(...leaves(doc, sub, where));
  for (const [name, sub] of Object.entries(s.properties ?? {})) found.push(...leaves(doc, sub, `${where}.${name}`));
  if (s.items) found.push(...leaves(doc, s.items, `${where}[]`));
  if (typeof s.additionalProperties === "object") found.push(...leaves(doc, s.additionalProperties, `${where}.*`));
  if (s.type !== undefined) found.push({ where, schema: s });
  return found;
};

/** Every schema a request to `op` carries: its parameters (path, query, header) and each body media type. */
export const requestLeaves = (doc: Doc, op: Operation, where: string) => [
  ...(op.parameters ?? []).flatMap((p) => leaves(doc, p.schema, `${where} ${p.in} ${p.name}`)),
  ...Object.entries(op.requestBody?.content ?? {}).flatMap(([type, media]) =>
    leaves(doc, media.schema, `${where} body (${type})`),
  ),
];

export const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]);
