import { z } from "zod";
import { Avatar, User } from "@iam/core";
import { apiKeyProcedure, bearerProcedure, router } from "../trpc.ts";

const UploadRequest = z.strictObject({ contentType: Avatar.AvatarContentType });
const Confirm = z.strictObject({ key: Avatar.AvatarKey });
const Ticket = z
  .object({
    url: z.string().describe("POST a multipart/form-data form here"),
    fields: z.record(z.string(), z.string()).describe("Form fields to send as they are, before the file"),
    key: z.string().describe("Where the file will be stored; pass it to the confirm call"),
    maxBytes: z.number().int(),
    expiresAt: z.iso.datetime().describe("ISO-8601 time the upload form stops working"),
  })
  .meta({ id: "AvatarUpload" });
const ById = z.object({ id: User.Id });
const limits = `PNG, JPEG or WebP, at most ${Avatar.AVATAR_MAX_BYTES / 1024 / 1024} MiB`;

/**
 * Avatars in two steps: an upload form (a presigned S3 POST under a key of the user), then a
 * confirmation that checks the stored file and makes it the avatar. For the signed-in user, and
 * for back ends on behalf of any user.
 */
export const avatarRouter = router({
  requestOwnUpload: bearerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/public/user/me/avatar/upload",
        tags: ["public"],
        summary: `Get a form to upload a new avatar (${limits})`,
      },
    })
    .input(UploadRequest)
    .output(Ticket)
    .mutation(({ input, ctx }) => Avatar.requestUpload(ctx.caller.user.id, input.contentType)),

  confirmOwn: bearerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/public/user/me/avatar/confirm",
        tags: ["public"],
        summary: "Make an uploaded file the avatar (a file that is not a valid image is deleted and refused)",
        errorResponses: [404],
      },
    })
    .input(Confirm)
    .output(User.Info)
    .mutation(({ input, ctx }) => Avatar.confirm(ctx.caller.user.id, input.key, ctx.audit)),

  requestUpload: apiKeyProcedure("write")
    .meta({
      openapi: {
        method: "POST",
        path: "/user/{id}/avatar/upload",
        tags: ["user"],
        summary: `Get a form to upload a user's avatar (${limits})`,
      },
    })
    .input(ById.extend(UploadRequest.shape))
    .output(Ticket)
    .mutation(({ input }) => Avatar.requestUpload(input.id, input.contentType)),

  confirm: apiKeyProcedure("write")
    .meta({
      openapi: {
        method: "POST",
        path: "/user/{id}/avatar/confirm",
        tags: ["user"],
        summary: "Make an uploaded file the user's avatar (a file that is not a valid image is deleted and refused)",
      },
    })
    .input(ById.extend(Confirm.shape))
    .output(User.Info)
    .mutation(({ input, ctx }) => Avatar.confirm(input.id, input.key, ctx.audit)),
});
