import { describe, expect, it } from "vitest";
import { createApp } from "@iam/functions/app";
import { newUser, rest } from "./helpers.ts";
import { viaTrpc } from "./support/trpc.ts";
import {
  deref,
  leaves,
  operationsOf,
  requestLeaves,
  responseOf,
  servedDoc,
  typesOf,
  type Response,
  type Schema,
} from "./support/openapi-doc.ts";
import { User } from "@iam/core";

/**
 * What generators, validators and people reading `/openapi.json` rely on beyond its validity
 * (issue 15 items 2, 5 and 6): each claim is read from the document the service serves.
 */
describe("the served OpenAPI document says precisely what the service does", () => {
  it("documents the data blob of PUT and PATCH /user/{id}/data/update as a required JSON object body, merge-patch on PATCH", async () => {
    const doc = await servedDoc();
    const item = doc.paths["/user/{id}/data/update"];
    const media = (method: "put" | "patch") => {
      const body = item?.[method]?.requestBody;
      expect(body?.required, `${method} body required`).toBe(true);
      return Object.fromEntries(Object.entries(body?.content ?? {}).map(([type, m]) => [type.toLowerCase(), m]));
    };
    const put = media("put");
    const patch = media("patch");
    expect(Object.keys(put)).toEqual(["application/json"]);
    expect(Object.keys(patch).sort()).toEqual(["application/json", "application/merge-patch+json"]);
    for (const m of [...Object.values(put), ...Object.values(patch)]) {
      const schema = deref(doc, m.schema);
      expect(schema?.type).toBe("object");
      // Any member: an object of anything, never a closed or empty object.
      expect(
        schema?.additionalProperties === undefined ||
          schema.additionalProperties === true ||
          typeof schema.additionalProperties === "object",
      ).toBe(true);
      expect(schema?.required ?? []).toEqual([]);
    }
  });

  it("marks every timestamp the service returns as format: date-time", async () => {
    const doc = await servedDoc();
    const timestamps: string[] = [];
    for (const { op, where } of operationsOf(doc))
      for (const [status, response] of Object.entries(op.responses))
        for (const { where: at, schema } of leaves(
          doc,
          response.content?.["application/json"]?.schema,
          `${where} ${status}`,
        )) {
          const name = at.split(".").pop() ?? "";
          if (!/(At|After)$/.test(name) || !typesOf(schema).includes("string")) continue;
          timestamps.push(at);
          expect(schema.format, at).toBe("date-time");
        }
    // createdAt, lastLoginAt, expiresAt (keys, codes, uploads, tokens), revokedAt, lastUsedAt, tokensValidAfter, checkedAt,
    // and a webhook dead letter's firstAttemptAt / failedAt
    const names = new Set(timestamps.map((t) => t.split(".").pop()));
    expect([...names].sort()).toEqual([
      "checkedAt",
      "createdAt",
      "expiresAt",
      "failedAt",
      "firstAttemptAt",
      "lastLoginAt",
      "lastUsedAt",
      "revokedAt",
      "tokensValidAfter",
    ]);
  });

  it("names the origin the request reached as its server: an absolute URL, not '/'", async () => {
    const doc = await servedDoc();
    const { baseUrl } = await import("./helpers.ts");
    expect(doc.servers).toEqual([{ url: baseUrl(), description: expect.any(String) }]);
    const elsewhere = await createApp().request("https://iam.example.org/openapi.json");
    expect(((await elsewhere.json()) as { servers: { url: string }[] }).servers.map((s) => s.url)).toEqual([
      "https://iam.example.org",
    ]);
  });

  it("states the password rule as plain length bounds that every validator reads alike (no pattern, no allOf)", async () => {
    const doc = await servedDoc();
    const passwords = operationsOf(doc).flatMap(({ op, where }) =>
      // A new password: registration's and the new one of a reset or change (login takes any old one).
      requestLeaves(doc, op, where).filter(
        (l) => /\.newPassword$/.test(l.where) || (where === "POST /user" && /\.password$/.test(l.where)),
      ),
    );
    expect(passwords.map((p) => p.where).sort()).toEqual([
      "POST /auth/password/reset body (application/json).newPassword",
      "POST /public/user/me/password body (application/json).newPassword",
      "POST /user body (application/json).password",
    ]);
    for (const { where, schema } of passwords) {
      expect(schema, where).toMatchObject({
        type: "string",
        minLength: User.PasswordPolicy.MinimumLength,
        maxLength: 256,
      });
      expect(schema.pattern, where).toBeUndefined();
      expect(schema.description, where).toMatch(/common/);
    }
    expect(JSON.stringify(doc)).not.toContain('"allOf"');
  });

  it("bounds every string a request carries with maxLength, and every number with a minimum and a maximum", async () => {
    const doc = await servedDoc();
    const unbounded: string[] = [];
    for (const { op, where } of operationsOf(doc))
      for (const { where: at, schema } of requestLeaves(doc, op, where)) {
        const types = typesOf(schema);
        const closed = schema.enum !== undefined || schema.const !== undefined;
        if (types.includes("string") && !closed && schema.maxLength === undefined)
          unbounded.push(`${at}: string without maxLength`);
        if ((types.includes("integer") || types.includes("number")) && !closed) {
          if (schema.minimum === undefined && schema.exclusiveMinimum === undefined)
            unbounded.push(`${at}: number without a minimum`);
          if (schema.maximum === undefined && schema.exclusiveMaximum === undefined)
            unbounded.push(`${at}: number without a maximum`);
        }
      }
    expect(unbounded).toEqual([]);
  });

  it("documents /health and /health/ready, public, with what they answer", async () => {
    const doc = await servedDoc();
    const live = doc.paths["/health"]?.get;
    const ready = doc.paths["/health/ready"]?.get;
    expect(live?.security).toEqual([]);
    expect(ready?.security).toEqual([]);
    expect(Object.keys(live?.responses ?? {})).toContain("200");
    expect(Object.keys(ready?.responses ?? {})).toEqual(expect.arrayContaining(["200", "503"]));
    expect(ready?.responses["503"]?.headers?.["Retry-After"]).toBeDefined();
    const readiness = deref(doc, ready?.responses["200"]?.content?.["application/json"]?.schema);
    expect(Object.keys(deref(doc, readiness?.properties?.dependencies)?.properties ?? {}).sort()).toEqual([
      "cognito",
      "dynamodb",
      "s3",
    ]);
  });

  it("names its error body ErrorBody: a schema named Error shadows the global Error in generated TypeScript", async () => {
    const doc = await servedDoc();
    expect(Object.keys(doc.components.schemas)).not.toContain("Error");
    expect(doc.components.schemas.ErrorBody?.required).toEqual(["message", "code"]);
    for (const { op, where } of operationsOf(doc))
      for (const [status, response] of Object.entries(op.responses))
        if (Number(status) >= 400 && !where.startsWith("GET /health"))
          expect(responseOf(doc, response)?.content?.["application/json"]?.schema, `${where} ${status}`).toEqual({
            $ref: "#/components/schemas/ErrorBody",
          });
  });

  it("documents POST /user as 201 Created with Location, and the service answers so (tRPC keeps 200)", async () => {
    const doc = await servedDoc();
    const responses = doc.paths["/user"]?.post?.responses ?? {};
    expect(Object.keys(responses).filter((s) => s.startsWith("2"))).toEqual(["201"]);
    expect(responses["201"]?.headers?.Location).toMatchObject({ required: true, schema: { type: "string" } });
    expect(deref(doc, responses["201"]?.content?.["application/json"]?.schema)).toBe(
      doc.components.schemas.RegisteredUser,
    );

    const created = await rest("/user", { method: "POST", body: newUser() });
    expect(created.status).toBe(201);
    const location = created.headers.get("location");
    expect(location).toBe(`/user/${created.json.id}`);
    const fetched = await rest(location ?? "");
    expect(fetched.status).toBe(200);
    expect(fetched.json.id).toBe(created.json.id);
    expect((await viaTrpc("user.register", newUser())).status).toBe(200);
  });

  it("marks a request body required only when it has a required member (rotate-key's is optional)", async () => {
    const doc = await servedDoc();
    const rotate = doc.paths["/admin/keys/{keyId}/rotate"]?.post?.requestBody;
    expect(rotate?.required).toBe(false);
    for (const { op, where } of operationsOf(doc)) {
      const body = op.requestBody;
      if (!body) continue;
      for (const media of Object.values(body.content)) {
        const schema = deref(doc, media.schema) as Schema;
        const mandatory = (schema.required?.length ?? 0) > 0 || where.endsWith("/data/update");
        expect(body.required ?? false, where).toBe(mandatory);
      }
    }
    const { keyId } = (await rest("/admin/keys", { method: "POST", body: { name: "no-body", scopes: ["read"] } })).json;
    const rotated = await rest(`/admin/keys/${keyId}/rotate`, { method: "POST" });
    expect(rotated.status).toBe(200);
  });

  it("documents 405 with Allow on every operation, 415 on every operation with a body, and WWW-Authenticate on every 401", async () => {
    const doc = await servedDoc();
    const response = (op: { responses: Record<string, Response> }, status: string) =>
      responseOf(doc, op.responses[status]);
    for (const { op, where } of operationsOf(doc)) {
      expect(response(op, "405")?.headers?.Allow, `${where} 405`).toBeDefined();
      if (op.requestBody) expect(response(op, "415")?.description, `${where} 415`).toMatch(/application\/json/);
      if (op.security?.length) {
        const challenge = response(op, "401")?.headers?.["WWW-Authenticate"];
        expect(challenge?.schema?.type, `${where} 401`).toBe("string");
        expect(challenge?.description, `${where} 401`).toMatch(where.includes(" /public/") ? /Bearer/ : /ApiKey/);
      }
    }
    const patch = doc.paths["/user/{id}/data/update"]?.patch;
    expect(patch && response(patch, "415")?.description).toMatch(/merge-patch\+json/);
  });
});

describe("register: the default lang", () => {
  it("is en-US, a BCP 47 tag as every other lang is, which the profile route accepts as it is", async () => {
    const created = await rest("/user", { method: "POST", body: newUser() });
    const lang = created.json.profile.profileData.lang as string;
    expect(lang).toBe("en-US");
    expect(Intl.getCanonicalLocales(lang)).toEqual([lang]);
    const kept = await rest(`/user/${created.json.id}/profile`, { method: "PATCH", body: { lang } });
    expect(kept.status).toBe(200);
    expect(kept.json.profile.profileData.lang).toBe(lang);
  });

  it("refuses at registration a lang the profile route refuses", async () => {
    for (const lang of ["en_us_us", "english"]) {
      expect((await rest("/user", { method: "POST", body: newUser({ lang }) })).status, lang).toBe(400);
    }
  });
});
