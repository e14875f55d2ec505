import { z } from "zod";
import { Badge, Events, User } from "@iam/core";
import { IdempotencyKey } from "../idempotency.ts";
import { apiKeyProcedure, router } from "../trpc.ts";

const tags = ["user"];
const ById = z.object({ id: User.Id });
const BadgeInput = ById.extend({ name: Badge.BadgeNameFormat.describe("Badge name from the catalog") });
/** The blob is the request body itself; `id` (the path parameter) is the one reserved top-level key. */
const DataInput = ById.catchall(z.unknown()).describe(
  "The data blob: any JSON object (the top-level key `id` is reserved)",
);
const blobOf = ({ id: _id, ...blob }: z.infer<typeof DataInput>): User.Blob => blob;
/**
 * The blob as the caller sent it. zod validates the body but leaves a `__proto__` key out of its
 * output (by design, against prototype pollution); in the blob that key is plain data, so the
 * resolver takes the parsed JSON that zod has just accepted (object rest keeps own keys).
 */
const withBlob = apiKeyProcedure("write").use(async ({ getRawInput, next }) =>
  next({ ctx: { blob: blobOf((await getRawInput()) as z.infer<typeof DataInput>) } }),
);

export const userRouter = router({
  register: apiKeyProcedure("write")
    .meta({
      idempotent: true,
      created: { location: "/user/{id}" },
      openapi: {
        method: "POST",
        path: "/user",
        tags,
        summary: "Register a user",
        successDescription: "The new user and its activation code",
        requestHeaders: z.object({ "idempotency-key": IdempotencyKey.optional() }),
        errorResponses: [422],
      },
    })
    .input(User.RegisterInput.extend({ idempotencyKey: IdempotencyKey.optional() }))
    .output(User.Registered)
    .mutation(({ input, ctx }) => User.register(input, ctx.audit)),

  activate: apiKeyProcedure("write")
    .meta({
      openapi: {
        method: "GET",
        path: "/user/activate/{activationCode}",
        tags,
        summary: "Activate a user with its single-use code",
      },
      secretParams: ["activationCode"],
    })
    .input(
      z.object({
        activationCode: z
          .string()
          .max(21, { abort: true, message: "a 21-character activation code" })
          .regex(/^[A-Za-z0-9_-]{21}$/, "a 21-character activation code"),
      }),
    )
    .output(User.Info)
    .query(({ input, ctx }) => User.activate(input.activationCode, ctx.audit)),

  byId: apiKeyProcedure("read")
    .meta({ openapi: { method: "GET", path: "/user/{id}", tags, summary: "Get a user by id" } })
    .input(ById)
    .output(User.Info)
    .query(async ({ input }) => User.getById(input.id)),

  byName: apiKeyProcedure("read")
    .meta({ openapi: { method: "GET", path: "/user/name/{name}", tags, summary: "Get a user by name (any case)" } })
    .input(z.object({ name: User.Name }))
    .output(User.Info)
    .query(async ({ input }) => User.getByUnique("name", input.name)),

  byEmail: apiKeyProcedure("read")
    .meta({ openapi: { method: "GET", path: "/user/email/{email}", tags, summary: "Get a user by e-mail (any case)" } })
    .input(z.object({ email: User.Email }))
    .output(User.Info)
    .query(async ({ input }) => User.getByUnique("email", input.email)),

  byHandle: apiKeyProcedure("read")
    .meta({
      openapi: {
        method: "GET",
        path: "/user/handle/{handle}",
        tags,
        summary: "Get a user by handle, e.g. @SomePerson (any case)",
      },
    })
    .input(z.object({ handle: User.Handle }))
    .output(User.Info)
    .query(async ({ input }) => User.getByUnique("handle", User.handleKey(input.handle))),

  setStatus: apiKeyProcedure("admin")
    .meta({
      openapi: {
        method: "PATCH",
        path: "/user/{id}/status/{status}",
        tags,
        summary: "Set a user's status; suspension ends the user's sessions (here and at Cognito)",
      },
    })
    .input(ById.extend({ status: User.Status }))
    .output(User.Info)
    .mutation(({ input, ctx }) => User.setStatus(input.id, input.status, ctx.audit)),

  replaceData: withBlob
    .meta({
      openapi: {
        method: "PUT",
        path: "/user/{id}/data/update",
        tags,
        summary: "Replace the user's data blob (at most 32 KiB of JSON)",
      },
    })
    .input(DataInput)
    .output(User.Info)
    .mutation(({ input, ctx }) => User.replaceData(input.id, ctx.blob, ctx.audit)),

  mergeData: withBlob
    .meta({
      openapi: {
        method: "PATCH",
        path: "/user/{id}/data/update",
        tags,
        summary: "Merge into the user's data blob (JSON Merge Patch, RFC 7396: null deletes a key)",
        // RFC 7396's own media type, as well as plain JSON (the REST route table accepts these).
        contentTypes: ["application/json", "application/merge-patch+json"],
      },
    })
    .input(DataInput)
    .output(User.Info)
    .mutation(({ input, ctx }) => User.mergeData(input.id, ctx.blob, ctx.audit)),

  issueBadge: apiKeyProcedure("write")
    .meta({ openapi: { method: "POST", path: "/user/{id}/badge/{name}", tags, summary: "Issue a badge (idempotent)" } })
    .input(BadgeInput)
    .output(User.Info)
    .mutation(({ input, ctx }) => Badge.issue(input.id, input.name, ctx.audit)),

  revokeBadge: apiKeyProcedure("write")
    .meta({
      openapi: { method: "DELETE", path: "/user/{id}/badge/{name}", tags, summary: "Revoke a badge (idempotent)" },
    })
    .input(BadgeInput)
    .output(User.Info)
    .mutation(({ input, ctx }) => Badge.revoke(input.id, input.name, ctx.audit)),

  events: apiKeyProcedure("read")
    .meta({
      openapi: {
        method: "GET",
        path: "/user/{id}/events",
        tags,
        summary: `A user's events (the audit trail), newest first, optionally of one type (cursor pagination, at most ${Events.MAX_PAGE_SIZE} a page)`,
      },
    })
    .input(ById.extend(Events.ListOptions.shape))
    .output(Events.Page)
    .query(({ input: { id, ...options } }) => Events.list({ userId: id }, options)),

  delete: apiKeyProcedure("admin")
    .meta({
      openapi: {
        method: "DELETE",
        path: "/user/{id}",
        tags,
        summary: "Delete a user everywhere: Cognito, every DynamoDB item, S3 objects",
        successDescription: "Deleted",
      },
    })
    .input(ById)
    .output(z.object({ deleted: z.literal(true), id: z.string() }))
    .mutation(async ({ input, ctx }) => {
      await User.remove(input.id, ctx.audit);
      return { deleted: true as const, id: input.id };
    }),
});
