import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { appRouter } from "./router.ts";
import type { Access, Meta } from "./trpc.ts";

const securitySchemes = {
  apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "Machine API key" },
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Cognito access or id token" },
} as const;

/** Procedure metadata by "METHOD path", to give each operation only the scheme it accepts. */
const accessByOperation = (): Map<string, Access | undefined> => {
  const map = new Map<string, Access | undefined>();
  for (const procedure of Object.values(appRouter._def.procedures as Record<string, unknown>)) {
    const meta = (procedure as { _def: { meta?: Meta } })._def.meta;
    if (meta?.openapi) map.set(`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, meta.access);
  }
  return map;
};

let cached: OpenAPIObject | undefined;

/** The REST contract, generated from the router (built once per process). */
export const openApiDocument = (): OpenAPIObject => {
  if (cached) return cached;
  const doc = generateOpenApiDocument(appRouter, {
    title: "User IAM API",
    version: "1.0.0",
    description: "User identity and access management: Cognito credentials, DynamoDB profiles, S3 assets.",
    baseUrl: "/",
    securitySchemes,
  });
  const access = accessByOperation();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, { security?: unknown }>)) {
      const kind = access.get(`${method} ${path}`);
      op.security = kind === "public" || !kind ? [] : [{ [kind]: [] }];
    }
  }
  cached = doc;
  return doc;
};
