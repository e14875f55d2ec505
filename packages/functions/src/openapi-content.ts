/** The fixed parts of the OpenAPI document: tags, the error table and examples (openapi.ts assembles it). */
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

export const TAGS: Record<string, string> = {
  auth: "Log in with e-mail and password, and verify Cognito tokens. For trusted back ends (x-api-key).",
  user: "Register, activate, look up and change users: status, data blob, badges, deletion. For trusted back ends (x-api-key).",
  public: "What a signed-in user may do with their own account (`Authorization: Bearer <Cognito token>`).",
  admin: "Machine API keys: create, list, rotate, revoke (x-api-key with the admin scope).",
};

/** Every `code` an error body can carry (tRPC's names; 410 travels as NOT_FOUND with status 410). */
export const ERROR_CODES = [
  "PARSE_ERROR",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_SUPPORTED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNPROCESSABLE_CONTENT",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
] as const satisfies readonly TRPC_ERROR_CODE_KEY[];
export type ErrorCode = (typeof ERROR_CODES)[number];

export const retryAfter = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } } };

export const ERRORS: Record<number, { description: string; code: ErrorCode; message: string; retry?: true }> = {
  400: { description: "Invalid input; `issues` says what and where", code: "BAD_REQUEST", message: "Invalid input data" },
  401: { description: "Missing or invalid credentials", code: "UNAUTHORIZED", message: "Invalid API key" },
  403: { description: "Not allowed: the API key lacks the scope, or the account is not activated or is suspended", code: "FORBIDDEN", message: "This API key lacks the 'write' scope" },
  404: { description: "No such user, code, badge or key", code: "NOT_FOUND", message: "User not found" },
  409: { description: "Conflict: a unique value is taken, or a concurrent change or a request with the same Idempotency-Key is in progress (retry after Retry-After, when given)", code: "CONFLICT", message: "A user with this email already exists" },
  410: { description: "Gone: the activation or reset code has expired", code: "NOT_FOUND", message: "Activation code has expired" },
  413: { description: "Request body over 1 MiB, or the data blob over 32 KiB of JSON", code: "PAYLOAD_TOO_LARGE", message: "Request body exceeds 1 MiB" },
  422: { description: "The Idempotency-Key was used with a different request body", code: "UNPROCESSABLE_CONTENT", message: "This Idempotency-Key was used with a different request body" },
  429: { description: "Too many requests (failed logins, or a throttled dependency)", code: "TOO_MANY_REQUESTS", message: "Too many requests, retry later", retry: true },
  500: { description: "Internal error; never carries details", code: "INTERNAL_SERVER_ERROR", message: "Internal server error" },
  503: { description: "A dependency is unavailable", code: "SERVICE_UNAVAILABLE", message: "A dependency is unavailable, retry later", retry: true },
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
    profileData: { lang: "en_us", avatarUrl: "", currency: "USD" },
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
    lang: "en_us",
    currency: "USD",
  },
  "POST /auth/login": { email: "cortney@example.com", password: "Correct-Horse1" },
};

export const SCHEMA_EXAMPLES: Record<string, unknown> = {
  User: USER_EXAMPLE,
  RegisteredUser: { ...USER_EXAMPLE, status: "UNCONFIRMED", lastLoginAt: null, activationCode: "V1StGXR8_Z5jdHi6B-myT" },
};
