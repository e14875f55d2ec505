import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { appRouter } from "./router.ts";
import type { Meta } from "./trpc.ts";

/**
 * The REST contract, generated from the router by trpc-to-openapi, then completed here from each
 * procedure's metadata: the one security scheme it accepts, the errors it can answer with (one
 * shared `Error` schema), tag descriptions and examples. Nothing here lists the operations: a new
 * procedure gets the same treatment from its method, path and `access`.
 */

const securitySchemes = {
  apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "Machine API key (scopes: read, write, auth, admin)" },
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Cognito access or id token of the user" },
} as const;

import { ERRORS, SCHEMA_EXAMPLES, TAGS, BODY_EXAMPLES, ERROR_CODES, retryAfter } from "./openapi-content.ts";

/** What the method, path and access cannot tell, by "METHOD path". */
const ADJUST: Record<string, { add?: number[]; drop?: number[] }> = {
  "GET /user/activate/{activationCode}": { add: [409, 410] },
  "GET /auth/token/{tokenType}/verify/{token}": { drop: [404] },
  "POST /auth/login": { drop: [409] },
  "POST /auth/password/reset": { add: [404, 410] },
};

const errorStatuses = (method: string, path: string, meta: Meta | undefined, hasInput: boolean): number[] => {
  const s = new Set<number>([429, 500, 503]);
  const add = (...codes: number[]) => codes.forEach((c) => s.add(c));
  if (hasInput) add(400);
  if (meta?.access !== "public") add(401);
  if (meta?.access === "apiKey") add(403);
  if (path.includes("{")) add(404);
  if (method !== "get") add(409);
  if (["post", "put", "patch"].includes(method)) add(413);
  const declared = meta?.openapi?.errorResponses;
  if (declared) add(...(Array.isArray(declared) ? declared : Object.keys(declared).map(Number)));
  const adjust = ADJUST[`${method.toUpperCase()} ${path}`];
  add(...(adjust?.add ?? []));
  for (const c of adjust?.drop ?? []) s.delete(c);
  return [...s].sort((a, b) => a - b);
};

const errorResponse = (status: number, access: Meta["access"]) => {
  const known = ERRORS[status] ?? { description: `Error ${status}`, code: "BAD_REQUEST", message: `Error ${status}` };
  const e = status === 401 && access === "bearer" ? { ...known, message: "Invalid or expired token" } : known;
  return {
    description: e.description,
    ...(e.retry ? { headers: retryAfter } : {}),
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: e.code, message: e.message } } },
  };
};

type SchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

const ErrorSchema: SchemaObject = {
  type: "object",
  description: "Every error body. `issues` is present for invalid input (400).",
  properties: {
    message: { type: "string", description: "For the caller; never a stack or an internal detail" },
    code: { type: "string", enum: [...ERROR_CODES] },
    issues: {
      type: "array",
      items: {
        type: "object",
        properties: { code: { type: "string" }, message: { type: "string" }, path: { type: "array", items: { type: ["string", "number"] } } },
        required: ["message"],
      },
    },
  },
  required: ["message", "code"],
};

type Operation = {
  description?: string;
  security?: unknown;
  parameters?: unknown[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, unknown>;
  tags?: string[];
};

/** Procedure metadata by "METHOD path" (lower-case method, as in the document). */
const metaByOperation = (): Map<string, Meta> => {
  const map = new Map<string, Meta>();
  for (const procedure of Object.values(appRouter._def.procedures as Record<string, unknown>)) {
    const meta = (procedure as { _def: { meta?: Meta } })._def.meta;
    if (meta?.openapi) map.set(`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, meta);
  }
  return map;
};

const DESCRIPTION = `Users, credentials and badges for your apps: Cognito holds credentials and issues JWTs,
DynamoDB holds profiles, S3 holds badge icons. The same procedures are served as typed tRPC at \`/trpc\`.

**Auth.** Routes for trusted back ends take a machine API key in the \`x-api-key\` header; routes under
\`/public\` take the user's Cognito token as \`Authorization: Bearer <token>\` (get one from \`POST /auth/login\`).

**Errors.** Every error is JSON \`{ "message", "code" }\` (plus \`issues\` for invalid input). 429 and 503
carry \`Retry-After\`.`;

let cached: OpenAPIObject | undefined;

export const openApiDocument = (): OpenAPIObject => {
  if (cached) return cached;
  const doc = generateOpenApiDocument(appRouter, {
    title: "User IAM API",
    version: "1.0.0",
    description: DESCRIPTION,
    baseUrl: "/",
    securitySchemes,
  });
  doc.servers = [{ url: "/", description: "The host serving this document: the local stack or the deployed API" }];
  const metas = metaByOperation();
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const meta = metas.get(`${method} ${path}`);
      const access = meta?.access;
      op.security = access === "public" || !access ? [] : [{ [access]: [] }];
      if (meta?.scope) op.description = [op.description, `Requires an API key with the \`${meta.scope}\` scope.`].filter(Boolean).join("\n\n");
      const hasInput = Boolean(op.parameters?.length || op.requestBody);
      const success = Object.entries(op.responses ?? {}).filter(([status]) => Number(status) < 400);
      const errors = errorStatuses(method, path, meta, hasInput).map((s) => [String(s), errorResponse(s, access)]);
      op.responses = Object.fromEntries([...success, ...errors]);
      const example = BODY_EXAMPLES[`${method.toUpperCase()} ${path}`];
      const json = op.requestBody?.content?.["application/json"];
      if (example && json) json.example = example;
      for (const tag of op.tags ?? []) tags.add(tag);
    }
  }
  doc.tags = [...tags].map((name) => ({ name, ...(TAGS[name] ? { description: TAGS[name] } : {}) }));
  const schemas: Record<string, Record<string, unknown>> = { ...(doc.components?.schemas as Record<string, Record<string, unknown>>) };
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  for (const [name, example] of Object.entries(SCHEMA_EXAMPLES)) {
    const schema = schemas[name];
    if (schema) schema.example = example;
  }
  doc.components = { ...doc.components, schemas: { ...schemas, Error: ErrorSchema } };
  cached = doc;
  return doc;
};
