import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { procedures, type ProcedureDef } from "./procedures.ts";
import { appRouter } from "./router.ts";
import type { Meta } from "./trpc.ts";
import {
  BODY_EXAMPLES,
  DESCRIPTION,
  ERRORS,
  ErrorBodySchema,
  HEALTH,
  SCHEMA_EXAMPLES,
  TAGS,
  wwwAuthenticate,
  allow,
  retryAfter,
} from "./openapi-content.ts";

/**
 * The REST contract, generated from the router by trpc-to-openapi, then completed here from each
 * procedure's metadata: the one security scheme it accepts, every error it can answer with (one
 * shared `ErrorBody` schema), what trpc-to-openapi cannot say (a body that is an open object, 201
 * for a procedure that creates), tag descriptions, examples and the health routes. Nothing here
 * lists the operations: a new procedure gets the same treatment from its method, path and meta.
 *
 * BUILD TIME ONLY: `npm run openapi` writes the result to packages/client/openapi.json, which the
 * service serves (openapi-serve.ts); the generator never runs in the Lambda.
 */

const securitySchemes = {
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description: "Machine API key (scopes: read, write, auth, recovery, admin)",
  },
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Cognito access token of the user" },
} as const;

/** What the method, path and access cannot tell, by "METHOD path". */
const ADJUST: Record<string, { add?: number[]; drop?: number[] }> = {
  "GET /user/activate/{activationCode}": { add: [409, 410] },
  "GET /auth/token/{tokenType}/verify/{token}": { drop: [404] },
  "POST /auth/login": { drop: [409] },
  "POST /auth/password/reset": { add: [404, 410] },
};

const BODY_METHODS = ["post", "put", "patch"];

/**
 * Every error status an operation can answer with. 400 on all (a malformed query string or body
 * is refused before any procedure runs), 405 on all (a wrong method on a known path), 413 and 415
 * wherever a body can be sent; the rest follows from the credential, the path and the method.
 */
const errorStatuses = (method: string, path: string, meta: Meta | undefined): number[] => {
  const s = new Set<number>([400, 405, 429, 500, 503]);
  const add = (...codes: number[]) => {
    for (const c of codes) s.add(c);
  };
  if (meta?.access !== "public") add(401);
  if (meta?.access === "apiKey") add(403);
  if (path.includes("{")) add(404);
  if (method !== "get") add(409);
  if (BODY_METHODS.includes(method)) add(413, 415);
  const declared = meta?.openapi?.errorResponses;
  if (declared) add(...(Array.isArray(declared) ? declared : Object.keys(declared).map(Number)));
  const adjust = ADJUST[`${method.toUpperCase()} ${path}`];
  add(...(adjust?.add ?? []));
  for (const c of adjust?.drop ?? []) s.delete(c);
  return [...s].sort((a, b) => a - b);
};

/**
 * The error response of a status, shared by every operation through `components.responses` (the
 * variants: a bearer route's 401 challenge, the merge-patch media type in a 415 of a merge patch).
 */
const errorResponse = (status: number, access: Meta["access"], mergePatch = false) => {
  const known = ERRORS[status] ?? {
    name: `Error${status}`,
    description: `Error ${status}`,
    code: "BAD_REQUEST",
    message: `Error ${status}`,
  };
  const bearer = status === 401 && access === "bearer";
  const e = bearer ? { ...known, message: "Invalid or expired token" } : known;
  const patch = status === 415 && mergePatch;
  const description = patch ? `${e.description}, or \`application/merge-patch+json\`` : e.description;
  const headers = {
    ...(e.retry ? retryAfter : {}),
    ...(status === 405 ? allow : {}),
    ...(status === 401 ? wwwAuthenticate(bearer ? "bearer" : "apiKey") : {}),
  };
  return {
    name: `${known.name}${bearer ? "Bearer" : ""}${patch ? "MergePatch" : ""}`,
    response: {
      description,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: {
        "application/json": {
          schema: { $ref: "#/components/schemas/ErrorBody" },
          example: { code: e.code, message: e.message },
        },
      },
    },
  };
};

type Components = NonNullable<OpenAPIObject["components"]>;
type JsonSchema = { type?: string; required?: string[]; $ref?: string; description?: string; [k: string]: unknown };
type MediaType = { schema?: JsonSchema; example?: unknown };
type Operation = {
  description?: string;
  security?: unknown;
  parameters?: unknown[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: unknown }>;
  tags?: string[];
};

/** Procedures by "METHOD path" (lower-case method, as in the document). */
const proceduresByOperation = (): Map<string, ProcedureDef> => {
  const map = new Map<string, ProcedureDef>();
  for (const procedure of Object.values(procedures)) {
    const openapi = procedure._def.meta?.openapi;
    if (openapi) map.set(`${openapi.method.toLowerCase()} ${openapi.path}`, procedure);
  }
  return map;
};

/**
 * The input's description when it is an object that takes members beyond its declared ones (a zod
 * `catchall`): then the body is an open JSON object, which trpc-to-openapi drops when every declared
 * member is a path parameter (the data blob: `{ id }` + anything).
 */
const openObjectInput = (procedure: ProcedureDef | undefined): { description?: string } | undefined => {
  for (const input of procedure?._def.inputs ?? []) {
    const zod = input as {
      _zod?: { def?: { type?: string; catchall?: { _zod?: { def?: { type?: string } } } } };
      description?: string;
    };
    const def = zod._zod?.def;
    if (def?.type === "object" && def.catchall && def.catchall._zod?.def?.type !== "never")
      return { description: zod.description };
  }
  return undefined;
};

const schemaOf = (doc: OpenAPIObject, s: JsonSchema | undefined): JsonSchema | undefined =>
  s?.$ref ? (doc.components?.schemas?.[s.$ref.replace("#/components/schemas/", "")] as JsonSchema | undefined) : s;

/**
 * The request body as it is: an open object where the input is one — on PATCH a JSON Merge Patch
 * (RFC 7396), which has its own media type — and required only when something in it is.
 */
const completeRequestBody = (
  doc: OpenAPIObject,
  op: Operation,
  open: { description?: string } | undefined,
  mergePatch: boolean,
) => {
  if (open && !op.requestBody) {
    const schema = { type: "object", description: open.description, additionalProperties: {} };
    const types = mergePatch ? ["application/json", "application/merge-patch+json"] : ["application/json"];
    op.requestBody = { required: true, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
    return;
  }
  if (!op.requestBody) return;
  const schemas = Object.values(op.requestBody.content).map((m) => schemaOf(doc, m.schema));
  // trpc-to-openapi marks the body required when the whole input is (path parameters included).
  op.requestBody.required = schemas.some((s) => (s?.required?.length ?? 0) > 0);
};

export const openApiDocument = (): OpenAPIObject => {
  const doc = generateOpenApiDocument(appRouter, {
    title: "User IAM API",
    version: "1.0.0",
    description: DESCRIPTION,
    baseUrl: "/",
    securitySchemes,
  });
  // Replaced by the origin of each request when served (openapi-serve.ts).
  doc.servers = [
    {
      url: "http://127.0.0.1:3000",
      description: "The local stack (`npm start`); the service names its own origin when it serves this document",
    },
  ];
  const procedures = proceduresByOperation();
  const responses: Record<string, unknown> = {};
  const shared = ({ name, response }: ReturnType<typeof errorResponse>) => {
    responses[name] = response;
    return { $ref: `#/components/responses/${name}` };
  };
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const procedure = procedures.get(`${method} ${path}`);
      const meta = procedure?._def.meta;
      const access = meta?.access;
      op.security = access === "public" || !access ? [] : [{ [access]: [] }];
      const needs = meta?.scope
        ? `Requires an API key with the \`${meta.scope}\` scope.`
        : access === "bearer"
          ? "Requires the user's Cognito access token (`Authorization: Bearer <token>`)."
          : undefined;
      op.description = [op.description, needs].filter(Boolean).join("\n\n");
      const open = BODY_METHODS.includes(method) ? openObjectInput(procedure) : undefined;
      const mergePatch = method === "patch" && open !== undefined;
      completeRequestBody(doc, op, open, mergePatch);
      const success = Object.entries(op.responses ?? {}).filter(([status]) => Number(status) < 400);
      const created = meta?.created
        ? success.map(([, response]) => [
            "201",
            {
              ...response,
              headers: {
                Location: {
                  description: `Where the new resource is: \`${meta.created?.location}\``,
                  required: true,
                  schema: { type: "string" },
                },
              },
            },
          ])
        : success;
      const errors = errorStatuses(method, path, meta).map((s) => [
        String(s),
        shared(errorResponse(s, access, mergePatch)),
      ]);
      op.responses = Object.fromEntries([...created, ...errors]);
      const example = BODY_EXAMPLES[`${method.toUpperCase()} ${path}`];
      const json = op.requestBody?.content["application/json"];
      if (example && json) json.example = example;
      for (const tag of op.tags ?? []) tags.add(tag);
    }
  }
  // The two routes the app serves itself (not procedures): liveness and readiness.
  const healthErrors = { "405": shared(errorResponse(405, "public")), "500": shared(errorResponse(500, "public")) };
  doc.paths = {
    ...doc.paths,
    "/health": { get: { ...HEALTH.live, responses: { ...HEALTH.live.responses, ...healthErrors } } },
    "/health/ready": { get: { ...HEALTH.ready, responses: { ...HEALTH.ready.responses, ...healthErrors } } },
  };
  tags.add("health");
  doc.tags = [...tags].map((name) => ({ name, ...(TAGS[name] ? { description: TAGS[name] } : {}) }));
  const schemas: Record<string, Record<string, unknown>> = {
    ...(doc.components?.schemas as Record<string, Record<string, unknown>>),
  };
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  for (const [name, example] of Object.entries(SCHEMA_EXAMPLES)) {
    const schema = schemas[name];
    if (schema) schema.example = example;
  }
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  doc.components = {
    ...doc.components,
    schemas: { ...schemas, ...HEALTH.schemas, ErrorBody: ErrorBodySchema },
    responses: sorted as Components["responses"],
  };
  return doc;
};
