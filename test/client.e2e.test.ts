import { randomUUID } from "node:crypto";
import { describe, expect, expectTypeOf, inject, it } from "vitest";
import { createIamClient, createIamRestClient, iamErrorOf, type ApiError, type User } from "@user-iam/client";

/**
 * What a TypeScript caller does with @user-iam/client alone (no test helpers, no server imports):
 * the whole life of a user, once over tRPC and once over REST, against the local stack.
 */
const url = inject("baseUrl");
const apiKey = inject("apiKey");

const newUser = () => {
  const tag = randomUUID().slice(0, 8);
  return { email: `client.${tag}@example.com`, name: `client_${tag}`, password: "Correct-Horse1" };
};

/** A fetch that records what was sent, to see batching and headers as the server sees them. */
const recordingFetch = () => {
  const sent: { url: string; headers: Headers }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ url: request.url, headers: request.headers });
    return fetch(request);
  };
  return { sent, fetch: fetchFn };
};

describe("tRPC client (createIamClient)", () => {
  it("registers, activates, logs in, reads me, issues a badge and deletes, fully typed", async () => {
    const client = createIamClient({ url, apiKey });
    const body = newUser();

    const registered = await client.user.register.mutate(body);
    expect(registered).toMatchObject({ email: body.email, name: body.name, status: "UNCONFIRMED" });
    expect(registered.activationCode).toMatch(/^[A-Za-z0-9_-]{21}$/);

    const activated = await client.user.activate.query({ activationCode: registered.activationCode });
    expect(activated.status).toBe("CONFIRMED");

    const tokens = await client.auth.login.mutate({ email: body.email, password: body.password });
    expect(tokens.tokenType).toBe("Bearer");

    const asUser = createIamClient({ url, getToken: async () => tokens.accessToken });
    const me = await asUser.public.me.query();
    expectTypeOf(me).toEqualTypeOf<User>();
    expect(me.id).toBe(registered.id);
    expect(me.lastLoginAt).not.toBeNull();

    const badged = await client.user.issueBadge.mutate({ id: registered.id, name: "EARLY_ADOPTER" });
    expect(badged.profile.badges.map((b) => b.name).sort()).toEqual(["EARLY_ADOPTER", "NEW_MEMBER"]);

    expect(await client.user.delete.mutate({ id: registered.id })).toEqual({ deleted: true, id: registered.id });
    const gone = await client.user.byId.query({ id: registered.id }).catch((e: unknown) => e);
    expect(iamErrorOf(gone)).toMatchObject({ code: "NOT_FOUND", status: 404 });
    const stale = await asUser.public.me.query().catch((e: unknown) => e);
    expect(iamErrorOf(stale)).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });

  it("batches calls made together into one HTTP request, with the API key header", async () => {
    const { sent, fetch } = recordingFetch();
    const client = createIamClient({ url, apiKey, fetch });
    const registered = await client.user.register.mutate(newUser());
    sent.length = 0;
    const [byId, byEmail] = await Promise.all([
      client.user.byId.query({ id: registered.id }),
      client.user.byEmail.query({ email: registered.email }),
    ]);
    expect(byEmail).toEqual(byId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toContain("/trpc/user.byId,user.byEmail?batch=1");
    expect(sent[0]?.headers.get("x-api-key")).toBe(apiKey);
    expect(sent[0]?.headers.get("authorization")).toBeNull();
  });

  it("sends the token getToken returns at call time, and reports the service's error codes", async () => {
    const { sent, fetch } = recordingFetch();
    let token: string | undefined = "not-a-jwt";
    const client = createIamClient({ url, getToken: () => token, fetch });
    const refused = await client.public.me.query().catch((e: unknown) => e);
    expect(iamErrorOf(refused)).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer not-a-jwt");
    expect(sent[0]?.headers.get("x-api-key")).toBeNull();
    token = undefined;
    await client.public.me.query().catch(() => undefined);
    expect(sent[1]?.headers.get("authorization")).toBeNull();

    const noKey = await createIamClient({ url })
      .user.register.mutate(newUser())
      .catch((e: unknown) => e);
    expect(iamErrorOf(noKey)).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(iamErrorOf(new Error("not from the service"))).toBeUndefined();
  });

  it("gives the issues of invalid input, each with its field's path, as REST's `issues`", async () => {
    const client = createIamClient({ url, apiKey });
    const invalid = await client.user.register
      .mutate({ ...newUser(), email: "not-an-email", currency: "XYZ" })
      .catch((e: unknown) => e);
    const error = iamErrorOf(invalid);
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400 });
    expect(error?.issues?.map((i) => i.path)).toEqual(expect.arrayContaining([["email"], ["currency"]]));
    expect(error?.issues?.every((i) => typeof i.message === "string" && typeof i.code === "string")).toBe(true);
    // Errors that are not about input carry none.
    const gone = await client.user.byId.query({ id: randomUUID() }).catch((e: unknown) => e);
    expect(iamErrorOf(gone)?.issues).toBeUndefined();
  });
});

describe("REST client (createIamRestClient)", () => {
  it("registers, activates, logs in, reads me, issues a badge, replaces and merges data and deletes, typed from the OpenAPI document", async () => {
    const rest = createIamRestClient({ url, apiKey });
    const body = newUser();

    const registered = await rest.POST("/user", { body });
    expect(registered.response.status).toBe(201);
    if (!registered.data) throw new Error(`register failed: ${JSON.stringify(registered.error)}`);
    const { id, activationCode } = registered.data;

    const activated = await rest.GET("/user/activate/{activationCode}", { params: { path: { activationCode } } });
    expect(activated.data?.status).toBe("CONFIRMED");

    const login = await rest.POST("/auth/login", { body: { email: body.email, password: body.password } });
    if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.error)}`);
    const accessToken = login.data.accessToken;

    const asUser = createIamRestClient({ url, getToken: () => accessToken });
    const me = await asUser.GET("/public/user/me");
    expect(me.data).toMatchObject({ id, email: body.email, status: "CONFIRMED" });

    const badged = await rest.POST("/user/{id}/badge/{name}", { params: { path: { id, name: "EARLY_ADOPTER" } } });
    expect(badged.data?.profile.badges.map((b) => b.name).sort()).toEqual(["EARLY_ADOPTER", "NEW_MEMBER"]);

    // The data blob is the body itself: replaced whole, then merged (RFC 7396: null deletes a key).
    const replaced = await rest.PUT("/user/{id}/data/update", {
      params: { path: { id } },
      body: { plan: "pro", seats: 3, tags: ["a"] },
    });
    expect(replaced.response.status).toBe(200);
    expect(replaced.data?.profile.data).toEqual({ plan: "pro", seats: 3, tags: ["a"] });
    const merged = await rest.PATCH("/user/{id}/data/update", {
      params: { path: { id } },
      body: { seats: 5, tags: null, trial: true },
    });
    expect(merged.response.status).toBe(200);
    expect(merged.data?.profile.data).toEqual({ plan: "pro", seats: 5, trial: true });

    const deleted = await rest.DELETE("/user/{id}", { params: { path: { id } } });
    expect(deleted.data).toEqual({ deleted: true, id });

    const gone = await rest.GET("/user/{id}", { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expectTypeOf(gone.error).toEqualTypeOf<ApiError | undefined>();
    expect(gone.error).toMatchObject({ code: "NOT_FOUND" });
    expect((await asUser.GET("/public/user/me")).response.status).toBe(401);
  });

  it("returns the error body typed, with issues for invalid input", async () => {
    const rest = createIamRestClient({ url, apiKey });
    const bad = await rest.POST("/user", { body: { ...newUser(), email: "not-an-email" } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBe("BAD_REQUEST");
    expect(bad.error?.issues?.length).toBeGreaterThan(0);
    const noKey = await createIamRestClient({ url }).GET("/user/{id}", { params: { path: { id: randomUUID() } } });
    expect(noKey.response.status).toBe(401);
  });
});
