import { z } from "zod";
import { Profile, User } from "@iam/core";
import { apiKeyProcedure, bearerProcedure, router } from "../trpc.ts";

const ById = z.object({ id: User.Id });

/** Profile settings (language, currency) and the role. */
export const profileRouter = router({
  updateOwn: bearerProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/public/user/me/profile",
        tags: ["public"],
        summary: "Set the caller's language and/or currency",
      },
    })
    .input(Profile.ProfileDataInput)
    .output(User.Info)
    .mutation(({ input, ctx }) => Profile.updateProfileData(ctx.caller.user.id, input, ctx.audit)),

  update: apiKeyProcedure("write")
    .meta({
      openapi: {
        method: "PATCH",
        path: "/user/{id}/profile",
        tags: ["user"],
        summary: "Set a user's language and/or currency",
      },
    })
    .input(z.strictObject({ id: User.Id, ...Profile.ProfileFields }).refine(...Profile.atLeastOneField))
    .output(User.Info)
    .mutation(({ input: { id, ...data }, ctx }) => Profile.updateProfileData(id, data, ctx.audit)),

  setRole: apiKeyProcedure("admin")
    .meta({
      openapi: {
        method: "PATCH",
        path: "/user/{id}/role/{role}",
        tags: ["user"],
        summary: "Set a user's role (and its Cognito group); ends the user's sessions, whose tokens name the old group",
      },
    })
    .input(ById.extend({ role: User.Role }))
    .output(User.Info)
    .mutation(({ input, ctx }) => Profile.setRole(input.id, input.role, ctx.audit)),
});
