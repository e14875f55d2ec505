/**
 * Stands in for `trpc-to-openapi` while the published declarations are bundled (scripts/build.ts
 * resolves the module here). The router's type carries each procedure's `meta`, and the server
 * types it as trpc-to-openapi's `OpenApiMeta`, whose header fields are zod schemas: inlined as is,
 * every consumer would need zod's types for a field no client reads. This keeps the shape a reader
 * of the published types may want (method, path, summary, …) without the two zod-typed fields.
 */
export type OpenApiMeta<TMeta = Record<string, unknown>> = TMeta & {
  openapi?: {
    enabled?: boolean;
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
    path: `/${string}`;
    operationId?: string;
    summary?: string;
    description?: string;
    protect?: boolean;
    tags?: string[];
    contentTypes?: string[];
    deprecated?: boolean;
    successDescription?: string;
    errorResponses?: number[] | Record<number, string>;
  };
};
