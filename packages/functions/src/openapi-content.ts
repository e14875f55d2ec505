/** The fixed parts of the OpenAPI document: tags, the error table and examples (openapi.ts assembles it). */
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { OpenAPIObject } from "trpc-to-openapi";

type SchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

export const TAGS: Record<string, string> = {
  auth: "Log in with e-mail and password, and verify Cognito tokens. For trusted back ends (x-api-key).",
  user: "Register, activate, look up and change users: status, data blob, badges, deletion. For trusted back ends (x-api-key).",
  public: "What a signed-in user may do with their own account (`Authorization: Bearer <Cognito token>`).",
  admin: "Machine API keys: create, list, rotate, revoke (x-api-key with the admin scope).",
  health: "Liveness and readiness, for load balancers and monitors. No credentials.",
};

export const DESCRIPTION = `Users, credentials and badges for your apps: Cognito holds credentials and issues JWTs,
DynamoDB holds profiles, S3 holds badge icons. The same procedures are served as typed tRPC at \`/trpc\`.

**Auth.** Routes for trusted back ends take a machine API key in the \`x-api-key\` header; routes under
\`/public\` take the user's Cognito access token as \`Authorization: Bearer <token>\` (get one from \`POST /auth/login\`).

**Errors.** Every error is JSON \`{ "message", "code" }\` (plus \`issues\` for invalid input). 429 and 503
carry \`Retry-After\`, 405 carries \`Allow\`, 401 carries \`WWW-Authenticate\`.`;

/** Every `code` an error body can carry (tRPC's names; 410 travels as NOT_FOUND with status 410). */
export const ERROR_CODES = [
  "PARSE_ERROR",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_SUPPORTED",
  "CONFLICT",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
  "UNPROCESSABLE_CONTENT",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
] as const satisfies readonly TRPC_ERROR_CODE_KEY[];
export type ErrorCode = (typeof ERROR_CODES)[number];

export const retryAfter = {
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } },
};
export const allow = {
  Allow: { description: "The methods this path takes, e.g. `GET, DELETE`", schema: { type: "string" } },
};
/** The challenge of a 401 (RFC 9110 §11.6.1), by the credential the operation takes. */
export const wwwAuthenticate = (access: "apiKey" | "bearer") => ({
  "WWW-Authenticate": {
    description:
      access === "bearer"
        ? 'The scheme to authenticate with: `Bearer` (with `error="invalid_token"` when a token was presented)'
        : 'The scheme to authenticate with: `ApiKey header="x-api-key"`',
    schema: { type: "string" },
  },
});

/** The error response of each status: its name under `components.responses`, and an example body. */
export const ERRORS: Record<
  number,
  { name: string; description: string; code: ErrorCode; message: string; retry?: true }
> = {
  400: {
    name: "BadRequest",
    description: "Invalid input; `issues` says what and where",
    code: "BAD_REQUEST",
    message: "Invalid input data",
  },
  401: {
    name: "Unauthorized",
    description: "Missing or invalid credentials",
    code: "UNAUTHORIZED",
    message: "Invalid API key",
  },
  403: {
    name: "Forbidden",
    description: "Not allowed: the API key lacks the scope, or the account is not activated or is suspended",
    code: "FORBIDDEN",
    message: "This API key lacks the 'write' scope",
  },
  404: {
    name: "NotFound",
    description: "No such user, code, badge or key",
    code: "NOT_FOUND",
    message: "User not found",
  },
  405: {
    name: "MethodNotAllowed",
    description: "This path does not take this method; `Allow` lists those it takes",
    code: "METHOD_NOT_SUPPORTED",
    message: "Method not allowed",
  },
  409: {
    name: "Conflict",
    description:
      "Conflict: a unique value is taken, or a concurrent change or a request with the same Idempotency-Key is in progress (retry after Retry-After, when given)",
    code: "CONFLICT",
    message: "A user with this email already exists",
  },
  410: {
    name: "Gone",
    description: "Gone: the activation or reset code has expired",
    code: "NOT_FOUND",
    message: "Activation code has expired",
  },
  413: {
    name: "PayloadTooLarge",
    description: "Request body over 1 MiB, or the data blob over 32 KiB of JSON",
    code: "PAYLOAD_TOO_LARGE",
    message: "Request body exceeds 1 MiB",
  },
  415: {
    name: "UnsupportedMediaType",
    description: "A body that is not JSON: send it with `content-type: application/json`",
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Send the body as JSON, with content-type: application/json",
  },
  422: {
    name: "UnprocessableContent",
    description: "The Idempotency-Key was used with a different request body",
    code: "UNPROCESSABLE_CONTENT",
    message: "This Idempotency-Key was used with a different request body",
  },
  429: {
    name: "TooManyRequests",
    description: "Too many requests (failed logins, or a throttled dependency)",
    code: "TOO_MANY_REQUESTS",
    message: "Too many requests, retry later",
    retry: true,
  },
  500: {
    name: "InternalServerError",
    description: "Internal error; never carries details",
    code: "INTERNAL_SERVER_ERROR",
    message: "Internal server error",
  },
  503: {
    name: "ServiceUnavailable",
    description: "A dependency is unavailable",
    code: "SERVICE_UNAVAILABLE",
    message: "A dependency is unavailable, retry later",
    retry: true,
  },
};

export const USER_EXAMPLE = {
  id: "6b09fb7c-518f-48df-9e2d-d406b5cc6965",
  name: "cortney_gutkowski67",
  handle: "@CortneyGutkowski67",
  email: "cortney@example.com",
  createdAt: "2022-11-24T15:11:53.829Z",
  lastLoginAt: "2022-11-24T15:12:08.098Z",
  role: "USER",
  status: "CONFIRMED",
  sourceSystem: "customer-website",
  profile: {
    profileData: { lang: "en-US", avatarUrl: "", currency: "USD" },
    badges: [{ name: "NEW_MEMBER", iconUrl: "https://assets.example.com/badges/NEW_MEMBER.svg" }],
    data: {},
  },
};

/** Request body examples, by "METHOD path"; each is checked against its input schema in test/openapi.test.ts. */
export const BODY_EXAMPLES: Record<string, Record<string, unknown>> = {
  "POST /user": {
    email: "cortney@example.com",
    name: "cortney_gutkowski67",
    password: "Correct-Horse1",
    sourceSystem: "customer-website",
    lang: "en-US",
    currency: "USD",
  },
  "POST /auth/login": { email: "cortney@example.com", password: "Correct-Horse1" },
};

export const SCHEMA_EXAMPLES: Record<string, unknown> = {
  User: USER_EXAMPLE,
  RegisteredUser: {
    ...USER_EXAMPLE,
    status: "UNCONFIRMED",
    lastLoginAt: null,
    activationCode: "V1StGXR8_Z5jdHi6B-myT",
  },
};

/** Every error body. */
export const ErrorBodySchema: SchemaObject = {
  type: "object",
  description: "Every error body. `issues` is present for invalid input (400).",
  properties: {
    message: { type: "string", description: "For the caller; never a stack or an internal detail" },
    code: { type: "string", enum: [...ERROR_CODES] },
    issues: {
      type: "array",
      description: "What is wrong with the input, one entry per problem",
      items: {
        type: "object",
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          path: {
            type: "array",
            description: "Where in the input: member names and array indexes",
            items: { type: ["string", "integer"] },
          },
        },
        required: ["message"],
      },
    },
  },
  required: ["message", "code"],
};

const json = (schema: unknown) => ({ "application/json": { schema } });
const DependencyCheck: SchemaObject = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["up", "down"] },
    latencyMs: { type: "integer", minimum: 0, description: "How long the probe took" },
    error: { type: "string", description: "When down: the name of the error the probe met" },
  },
  required: ["status", "latencyMs"],
};
const dependency = { $ref: "#/components/schemas/DependencyCheck" };

const healthSchemas: Record<string, SchemaObject> = {
  DependencyCheck,
  Readiness: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["ready", "unavailable"] },
      checkedAt: {
        type: "string",
        format: "date-time",
        description: "When the dependencies were probed (the result is kept 5 s)",
      },
      dependencies: {
        type: "object",
        properties: { dynamodb: dependency, cognito: dependency, s3: dependency },
        required: ["dynamodb", "cognito", "s3"],
      },
    },
    required: ["status", "checkedAt", "dependencies"],
  },
};

/** `/health` and `/health/ready`: routes of the app itself, written here (openapi.ts adds their errors). */
export const HEALTH = {
  schemas: healthSchemas,
  live: {
    operationId: "health-live",
    summary: "Liveness: the process answers",
    description: "Calls no dependency: for a load balancer deciding whether the process is alive.",
    tags: ["health"],
    security: [],
    responses: {
      "200": {
        description: "The process answers",
        content: json({
          type: "object",
          properties: { status: { type: "string", enum: ["ok"] } },
          required: ["status"],
        }),
      },
    },
  },
  ready: {
    operationId: "health-ready",
    summary: "Readiness: each dependency and its latency",
    description:
      "Probes DynamoDB, Cognito and S3 in parallel (each within 2 s); the result is kept 5 s, so polling it costs the dependencies little.",
    tags: ["health"],
    security: [],
    responses: {
      "200": { description: "Every dependency is up", content: json({ $ref: "#/components/schemas/Readiness" }) },
      "503": {
        description: "A dependency is down: `dependencies` says which",
        headers: retryAfter,
        content: json({ $ref: "#/components/schemas/Readiness" }),
      },
    },
  },
};
