import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_CASES } from "./contract-cases.ts";
import { USER_KEYS } from "./lifecycle/contract-cases.ts";
import {
  activeUser,
  baseUrl,
  bearer,
  newUser,
  putExpiredActivation,
  registered,
  rest,
  withRestBase,
} from "./helpers.ts";
import { createKey } from "./security/keys.ts";
import { startAppProcess, type AppProcess } from "./support/app-process.ts";

/**
 * The switch from trpc-to-openapi's REST adapter to the route table (rest-routes.ts), proven
 * case by case: every contract case (test/contract-cases.ts) and every error and edge case below
 * is sent to main's adapter (test/support/legacy-rest, in its own process) and to the service as
 * it is now (the shared test server), each run on its own fresh users. Status, the headers that
 * matter and the body must be identical, except where a listed item changes the answer on
 * purpose: `CHANGED` names each such case with the item it comes from and both answers.
 */
type Answer = { status: number; json: unknown; headers?: Headers };
type Run = () => Promise<{ answer: Answer; keys?: string[] }>;

const HEADERS = ["content-type", "retry-after", "location", "www-authenticate", "allow"] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** What differs between two runs of a contract case (each run has its own users, keys and tokens). */
const RUN_KEYS = [
  ...USER_KEYS,
  "userId",
  "sub",
  "expiresAt",
  "at",
  "failedAt",
  "firstAttemptAt",
  "keyId",
  "apiKey",
  "lastUsedAt",
  "revokedAt",
  "accessToken",
  "idToken",
  "refreshToken",
  "resetCode",
  "tokensValidAfter",
  "fields",
  "key",
];

/** What is compared: status, the headers that matter (ids and waits generalised), the body with `keys` masked. */
const view = ({ answer, keys = [] }: Awaited<ReturnType<Run>>) => {
  const headers: Record<string, string | null> = {};
  for (const name of HEADERS) {
    const value = answer.headers?.get(name) ?? null;
    headers[name] =
      name === "location"
        ? (value?.replace(UUID, "<id>") ?? null)
        : name === "retry-after" && value !== null && /^\d+$/.test(value)
          ? "<seconds>"
          : value;
  }
  const json: unknown = JSON.parse(JSON.stringify(answer.json ?? null), (k, v: unknown) =>
    keys.includes(k) ? "<masked>" : v,
  );
  return { status: answer.status, headers, json };
};
type View = ReturnType<typeof view>;

const only = (answer: Answer, keys?: string[]) => ({ answer, keys });
const json = { "content-type": "application/json" };

/** Error and edge cases: each builds its own state, so it can run once per target. */
const EDGE_CASES: Record<string, Run> = {
  "400 invalid e-mail": async () => only(await rest("/user", { method: "POST", body: newUser({ email: "a@b" }) })),
  "400 several invalid fields": async () =>
    only(await rest("/user", { method: "POST", body: { email: "x", name: "!", password: "short" } })),
  "400 unknown field": async () => only(await rest("/user", { method: "POST", body: { ...newUser(), role: "ADMIN" } })),
  "400 malformed JSON": async () => only(await rest("/user", { method: "POST", raw: "{oops", headers: json })),
  "400 JSON array body": async () => only(await rest("/user", { method: "POST", raw: "[1]", headers: json })),
  "400 reserved query parameter name": async () => only(await rest("/user?valueOf=1")),
  "400 malformed path parameter": async () => only(await rest("/user/not-a-uuid")),
  "400 query parameter out of range": async () => only(await rest("/user?limit=1000")),
  "400 query parameter not a number": async () => only(await rest("/user?limit=ten")),
  "400 unknown status in the path": async () =>
    only(await rest(`/user/${(await registered()).user.id}/status/BANNED`, { method: "PATCH" })),
  "401 no API key": async () => only(await rest(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": "" } })),
  "401 unknown API key": async () =>
    only(await rest(`/user/${crypto.randomUUID()}`, { headers: { "x-api-key": `iam_${"x".repeat(40)}` } })),
  "401 no bearer token": async () => only(await rest("/public/user/me", { headers: { "x-api-key": "" } })),
  "401 malformed bearer token": async () => only(await rest("/public/user/me", { headers: bearer("not-a-jwt") })),
  "401 verify route, bad token": async () => only(await rest("/auth/token/access/verify/not-a-jwt")),
  "401 wrong password": async () => {
    const { body } = await activeUser();
    return only(await rest("/auth/login", { method: "POST", body: { email: body.email, password: "Wrong-Horse-99" } }));
  },
  "403 API key without the scope": async () => {
    const { apiKey } = await createKey(["read"]);
    return only(await rest("/user", { method: "POST", body: newUser(), headers: { "x-api-key": apiKey } }));
  },
  "403 login before activation": async () => {
    const { body } = await registered();
    return only(await rest("/auth/login", { method: "POST", body: { email: body.email, password: body.password } }));
  },
  "404 unknown user": async () => only(await rest(`/user/${crypto.randomUUID()}`)),
  "404 unknown path": async () => only(await rest("/no/such/route")),
  "404 double slash": async () => only(await rest(`//user/${(await registered()).user.id}`)),
  "404 used activation code": async () => {
    const { user } = await registered();
    await rest(`/user/activate/${user.activationCode}`);
    return only(await rest(`/user/activate/${user.activationCode}`));
  },
  "409 e-mail taken": async () => {
    const { body } = await registered();
    return only(await rest("/user", { method: "POST", body: { ...newUser(), email: body.email } }));
  },
  "410 expired activation code": async () => {
    const { user } = await registered();
    const code = crypto.randomUUID().replace(/-/g, "").slice(0, 21);
    await putExpiredActivation(user.id, code);
    return only(await rest(`/user/activate/${code}`));
  },
  "413 data blob over 32 KiB": async () => {
    const { user } = await registered();
    return only(await rest(`/user/${user.id}/data/update`, { method: "PUT", body: { blob: "x".repeat(33 * 1024) } }));
  },
  "415 text/plain body": async () =>
    only(
      await rest("/user", {
        method: "POST",
        raw: JSON.stringify(newUser()),
        headers: { "content-type": "text/plain" },
      }),
    ),
  "415 form body": async () =>
    only(
      await rest("/user", {
        method: "POST",
        raw: "email=a%40b.c",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    ),
  "422 Idempotency-Key reused with another body": async () => {
    const headers = { "idempotency-key": crypto.randomUUID() };
    await rest("/user", { method: "POST", body: newUser(), headers });
    return only(await rest("/user", { method: "POST", body: newUser(), headers }));
  },
  "429 locked out after failed logins": async () => {
    const { body } = await activeUser();
    const attempt = () =>
      rest("/auth/login", { method: "POST", body: { email: body.email, password: "Wrong-Horse-99" } });
    for (let i = 0; i < 5; i++) await attempt();
    return only(await attempt());
  },
  "200 trailing slash": async () => only(await rest(`/user/${(await registered()).user.id}/`), USER_KEYS),
  "200 upper-case path": async () => only(await rest(`/USER/${(await registered()).user.id}`), USER_KEYS),
  "200 handle with a bare @": async () =>
    only(await rest(`/user/handle/${(await registered()).user.handle}`), USER_KEYS),
  "200 handle in lower case without @": async () =>
    only(await rest(`/user/handle/${(await registered()).user.handle.slice(1).toLowerCase()}`), USER_KEYS),
  "200 JSON with a charset": async () =>
    only(
      await rest("/user", {
        method: "POST",
        raw: JSON.stringify(newUser()),
        headers: { "content-type": "application/json; charset=utf-8" },
      }),
      USER_KEYS,
    ),
  "200 empty body without content-type": async () => {
    const { user } = await registered();
    return only(await rest(`/user/${user.id}/badge/MENTOR`, { method: "POST" }), USER_KEYS);
  },
  "Application/JSON in upper case": async () =>
    only(
      await rest("/user", {
        method: "POST",
        raw: JSON.stringify(newUser()),
        headers: { "content-type": "Application/JSON" },
      }),
      USER_KEYS,
    ),
  "merge-patch+json on the PATCH data route": async () => {
    const { user } = await registered();
    return only(
      await rest(`/user/${user.id}/data/update`, {
        method: "PATCH",
        raw: '{"a":1}',
        headers: { "content-type": "application/merge-patch+json" },
      }),
      USER_KEYS,
    );
  },
  "DELETE on a POST-only path": async () => only(await rest("/auth/login", { method: "DELETE" })),
  "PUT on a GET/DELETE path": async () => only(await rest(`/user/${crypto.randomUUID()}`, { method: "PUT", body: {} })),
  "a number sent as a string in a JSON body": async () => {
    const { keyId } = await createKey(["read"]);
    return only(await rest(`/admin/keys/${keyId}/rotate`, { method: "POST", body: { graceSeconds: "60" } }), [
      "keyId",
      "apiKey",
      "createdAt",
      "expiresAt",
    ]);
  },
  "HEAD on a GET route": async () => only(await rest(`/user/${(await registered()).user.id}`, { method: "HEAD" })),
  "HEAD on an unknown path": async () => only(await rest("/no/such/route", { method: "HEAD" })),
  "broken JSON to an unknown path": async () =>
    only(await rest("/no/such/route", { method: "POST", raw: "{oops", headers: json })),
};

/** Changes to every answer of a kind, each with its item: applied to main's answer before comparing. */
const EVERYWHERE: { item: string; legacy: (v: View) => View }[] = [
  {
    item: "issue 15 item 4: a REST error body is { message, code, issues? }; the undocumented `data` member is gone",
    legacy: (v) => {
      if (v.status < 400 || typeof v.json !== "object" || v.json === null) return v;
      const { data: _data, ...json } = v.json as Record<string, unknown>;
      return { ...v, json };
    },
  },
];

const invalid = (message: unknown) => ({
  item: "issue 15 item 4: a validation error's message is one sentence (the first issue, '(and N more)'); `issues` are { path, message, code }",
  legacy: { status: 400, json: { message: "Input validation failed", code: "BAD_REQUEST" } },
  current: { status: 400, json: { message, code: "BAD_REQUEST", issues: expect.any(Array) } },
});

const challenged = (challenge: string) => ({
  item: 'issue 15 item 5: a 401 carries WWW-Authenticate with the route\'s scheme (Bearer, with error="invalid_token" when a token was sent; ApiKey for x-api-key)',
  legacy: { status: 401, headers: { "www-authenticate": null } },
  current: { status: 401, headers: { "www-authenticate": challenge } },
});
const unsupported = {
  item: "issue 15 item 5: a 415 says what to send",
  legacy: {
    status: 415,
    json: { code: "UNSUPPORTED_MEDIA_TYPE", message: expect.stringMatching(/^Unsupported content-type/) },
  },
  current: {
    status: 415,
    json: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as JSON, with content-type: application/json" },
  },
};
const notAllowed = (allow: string) => ({
  item: "issue 15 item 5: a wrong method on a known path is 405 with Allow (was 404)",
  legacy: { status: 404, headers: { allow: null } },
  current: { status: 405, headers: { allow }, json: { code: "METHOD_NOT_SUPPORTED" } },
});
const API_KEY = 'ApiKey header="x-api-key"';

/** Where the answer changes on purpose: the item, and what each side answers (matched, not equal). */
type Side = { status?: number; headers?: Record<string, string | null>; json?: unknown };
const CHANGED: Record<string, { item: string; legacy: Side; current: Side }> = {
  "401 no API key": challenged(API_KEY),
  "401 unknown API key": challenged(API_KEY),
  "401 no bearer token": challenged("Bearer"),
  "401 malformed bearer token": challenged('Bearer error="invalid_token"'),
  "401 verify route, bad token": challenged(API_KEY),
  "401 wrong password": challenged(API_KEY),
  "415 text/plain body": unsupported,
  "415 form body": unsupported,
  "Application/JSON in upper case": {
    item: "issue 15 item 5: media types compare case-insensitively",
    legacy: { status: 415 },
    current: { status: 201 },
  },
  "merge-patch+json on the PATCH data route": {
    item: "issue 15 item 5: the PATCH data route takes RFC 7396's application/merge-patch+json",
    legacy: { status: 415 },
    current: { status: 200 },
  },
  "DELETE on a POST-only path": notAllowed("POST"),
  "PUT on a GET/DELETE path": notAllowed("GET, HEAD, DELETE"),
  "400 invalid e-mail": invalid("email: Invalid email address"),
  "400 several invalid fields": invalid("email: Invalid email address (and 2 more)"),
  "400 unknown field": invalid('Unrecognized key: "role"'),
  "400 malformed path parameter": invalid(expect.stringMatching(/^id: /)),
  "400 query parameter out of range": invalid(expect.stringMatching(/^limit: /)),
  "400 query parameter not a number": invalid(expect.stringMatching(/^limit: /)),
  "400 unknown status in the path": invalid(expect.stringMatching(/^status: /)),
  "a number sent as a string in a JSON body": {
    item: "item 0 (route table): JSON bodies are not coerced. The old adapter set `coerce` on the procedure's own number schemas, so '60' (and '', null, true as 0, 0, 1) passed, over tRPC too once REST had run",
    legacy: { status: 200 },
    current: { status: 400 },
  },
  "broken JSON to an unknown path": {
    item: "item 0 (route table): the route is matched before the body is read, so an unknown path is 404 whatever its body",
    legacy: { status: 400, json: { code: "PARSE_ERROR" } },
    current: { status: 404, json: { code: "NOT_FOUND" } },
  },
  "HEAD on a GET route": {
    item: "item 0 (route table): HEAD is GET without the body. The old adapter answered every HEAD with an empty 204 (its 'warm-up'), whatever the path",
    legacy: { status: 204 },
    current: { status: 200, headers: { "content-type": "application/json" } },
  },
  "HEAD on an unknown path": {
    item: "item 0 (route table): HEAD is GET without the body, so an unknown path is 404",
    legacy: { status: 204 },
    current: { status: 404 },
  },
};

const CASES: Record<string, Run> = {
  ...Object.fromEntries(
    Object.entries(CONTRACT_CASES).map(([name, run]): [string, Run] => [
      `contract: ${name}`,
      async () => {
        const { rest: answer, keys = [] } = await run();
        return { answer, keys: [...keys, ...RUN_KEYS] };
      },
    ]),
  ),
  ...EDGE_CASES,
};

let legacy: AppProcess;
beforeAll(async () => {
  legacy = await startAppProcess({}, join(import.meta.dirname, "support/legacy-rest/serve.ts"));
}, 60_000);
afterAll(async () => {
  await legacy?.stop();
});

describe("REST: main's adapter and the route table answer the same", () => {
  it("lists only cases that exist", () => {
    for (const name of Object.keys(CHANGED)) expect(Object.keys(CASES), name).toContain(name);
  });

  for (const [name, run] of Object.entries(CASES)) {
    it(name, async () => {
      const before: View = EVERYWHERE.reduce(
        (v, change) => change.legacy(v),
        view(await withRestBase(legacy.url, run)),
      );
      const after: View = view(await withRestBase(baseUrl(), run));
      const changed = CHANGED[name];
      if (!changed) {
        expect(after).toEqual(before);
        return;
      }
      expect(before, `main's answer (${changed.item})`).toMatchObject(changed.legacy);
      expect(after, `the new answer (${changed.item})`).toMatchObject(changed.current);
      expect(after).not.toEqual(before);
    }, 60_000);
  }
});
