import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { createContextInner } from "@iam/functions/context";
import { appRouter } from "@iam/functions/router";
import { createCallerFactory } from "@iam/functions/trpc";
import { apiKey, newUser, rest, trpc } from "./helpers.ts";

const caller = (ctx: Partial<Parameters<typeof createContextInner>[0]> = {}) =>
  createCallerFactory(appRouter)(createContextInner({ requestId: "test", apiKey: apiKey(), ...ctx }));

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) return e.data?.code as string;
    return (e as { code?: string }).code;
  }
  return "OK";
};

/** The same slice through tRPC: over HTTP at /trpc, and in-process with createCaller. */
describe("tRPC: register, activate, login, me, user by id", () => {
  it("runs the slice over /trpc and returns what REST returns", async () => {
    const client = trpc();
    const body = newUser();
    const reg = await client.user.register.mutate(body);
    expect(reg).toMatchObject({ email: body.email, status: "UNCONFIRMED", role: "USER" });
    await client.user.activate.query({ activationCode: reg.activationCode });
    const tokens = await client.auth.login.mutate({ email: body.email, password: body.password });
    const me = await trpc({ authorization: `Bearer ${tokens.accessToken}` }).public.me.query();
    expect(me.id).toBe(reg.id);
    const viaTrpc = await client.user.byId.query({ id: reg.id });
    const viaRest = await rest(`/user/${reg.id}`);
    expect(viaRest.json).toEqual(viaTrpc);
    expect(viaTrpc).toEqual(me);
  });

  it("maps errors to the same codes as REST", async () => {
    const client = trpc();
    expect(await codeOf(client.user.byId.query({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(client.user.byId.query({ id: "nope" }))).toBe("BAD_REQUEST");
    expect(await codeOf(trpc({ "x-api-key": "wrong" }).user.byId.query({ id: crypto.randomUUID() }))).toBe(
      "UNAUTHORIZED",
    );
    expect(await codeOf(trpc({}).public.me.query())).toBe("UNAUTHORIZED");
    const body = newUser();
    await client.user.register.mutate(body);
    expect(await codeOf(client.user.register.mutate({ ...newUser(), email: body.email }))).toBe("CONFLICT");
    expect(await codeOf(client.auth.login.mutate({ email: body.email, password: "Wrong-pass1" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(client.auth.login.mutate({ email: body.email, password: body.password }))).toBe("FORBIDDEN");
  });

  it("works in-process with createCaller, with the same auth", async () => {
    const body = newUser();
    const reg = await caller().user.register(body);
    expect((await caller().user.byId({ id: reg.id })).email).toBe(body.email);
    expect(await codeOf(caller({ apiKey: null }).user.byId({ id: reg.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(caller({ authorization: "Bearer x" }).public.me())).toBe("UNAUTHORIZED");
  });
});
