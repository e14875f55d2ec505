import { cognito, dynamo, s3 } from "@iam/core/testing";
import { apiEvent, invoke, json, type Handler } from "../lib/lambda.ts";
import type { RequestCount } from "../lib/results.ts";
import type { BenchUser } from "./fixture.ts";

const MIDDLEWARE = "bench-count-requests";

/** Why each DynamoDB request of the write routes the issue asks about is made, in the order they are sent. */
const REASONS: Record<string, string[]> = {
  "POST /user": [
    "the three uniqueness guards (name, e-mail, handle) read at once, so a taken one is a 409 before Cognito is touched",
    "the saga's intent, recorded before the Cognito user exists, so a crash leaves something the reconciler can roll back",
    "one transaction: the profile, its three guards, the activation code, and the intent removed",
  ],
  "GET /user/activate/{code}": [
    "the activation code, read consistently: unknown (404) or expired (410) before Cognito is called",
    "the user, read consistently: its e-mail for Cognito and its status",
    "one transaction: the code deleted on condition that it still exists (a code works once), the user confirmed",
    "the user read back consistently, to answer with what was stored",
  ],
  "POST /auth/login": [
    "the attempt reserved in both lockout counters (per address, per account) before the password reaches Cognito",
    "the user: status (not activated, suspended) and revocation time",
    "one transaction: the attempt given back and lastLoginAt set",
  ],
};

/** Records every command the service's own SDK clients send, by client. */
const counting = () => {
  const seen = { dynamodb: [] as string[], cognito: [] as string[], s3: [] as string[] };
  const record =
    (list: string[]) =>
    <A, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    (args: A) => {
      list.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    };
  const options = { step: "initialize", name: MIDDLEWARE } as const;
  dynamo().middlewareStack.add(record(seen.dynamodb), options);
  cognito().middlewareStack.add(record(seen.cognito), options);
  s3().middlewareStack.add(record(seen.s3), options);
  return {
    take: () => {
      const taken = { dynamodb: [...seen.dynamodb], cognito: [...seen.cognito], s3: [...seen.s3] };
      for (const list of Object.values(seen)) list.length = 0;
      return taken;
    },
    remove: () => {
      for (const client of [dynamo(), cognito(), s3()]) client.middlewareStack.remove(MIDDLEWARE);
    },
  };
};

/**
 * DynamoDB, Cognito and S3 requests per route, counted with middleware on the SDK clients the
 * service uses, each route invoked once through the Lambda handler (after warm-up: API-key and
 * JWKS caches are as a running function has them).
 */
export const countRequests = async (handler: Handler, apiKey: string, user: BenchUser): Promise<RequestCount[]> => {
  const key = { "x-api-key": apiKey };
  const counter = counting();
  const rows: RequestCount[] = [];
  const step = async (
    kind: RequestCount["kind"],
    route: string,
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown } = { headers: key },
    expected = 200,
  ) => {
    counter.take();
    const res = await invoke(handler, apiEvent(method, path, options), expected);
    rows.push({ route, kind, status: res.statusCode, ...counter.take(), reasons: REASONS[route] });
    return res;
  };
  try {
    // A second user, so that the lifecycle (register → … → delete) is counted too.
    const tag = `${Date.now().toString(36)}`;
    const fresh = { email: `count.${tag}@example.com`, name: `count_${tag}`, password: "Correct-Horse1" };
    await step("other", "GET /health", "GET", "/health", {});
    const reg = json<{ id: string; activationCode: string }>(
      await step("write", "POST /user", "POST", "/user", { headers: key, body: fresh }, 201),
    );
    await step("write", "GET /user/activate/{code}", "GET", `/user/activate/${reg.activationCode}`);
    await step("auth", "POST /auth/login", "POST", "/auth/login", {
      headers: key,
      body: { email: fresh.email, password: fresh.password },
    });
    await step("read by id", "GET /user/{id}", "GET", `/user/${user.id}`);
    await step("lookup", "GET /user/name/{name}", "GET", `/user/name/${user.name}`);
    await step("lookup", "GET /user/email/{email}", "GET", `/user/email/${encodeURIComponent(user.email)}`);
    await step("lookup", "GET /user/handle/{handle}", "GET", `/user/handle/${encodeURIComponent(user.handle)}`);
    await step("read by id", "GET /public/user/me", "GET", "/public/user/me", {
      headers: { authorization: `Bearer ${user.accessToken}` },
    });
    await step(
      "read by id",
      "GET /auth/token/access/verify/{token}",
      "GET",
      `/auth/token/access/verify/${user.accessToken}`,
    );
    await step("write", "PATCH /user/{id}/status/{status}", "PATCH", `/user/${reg.id}/status/CONFIRMED`);
    await step("write", "PUT /user/{id}/data/update", "PUT", `/user/${reg.id}/data/update`, {
      headers: key,
      body: { a: 1 },
    });
    await step("write", "PATCH /user/{id}/data/update", "PATCH", `/user/${reg.id}/data/update`, {
      headers: key,
      body: { b: 2 },
    });
    await step("write", "POST /user/{id}/badge/{name}", "POST", `/user/${reg.id}/badge/MENTOR`);
    await step("write", "DELETE /user/{id}/badge/{name}", "DELETE", `/user/${reg.id}/badge/MENTOR`);
    await step("write", "DELETE /user/{id}", "DELETE", `/user/${reg.id}`);
  } finally {
    counter.remove();
  }
  return rows;
};
