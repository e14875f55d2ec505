import { z } from "zod";
import { Password, User } from "@iam/core";
import { apiKeyProcedure, bearerProcedure, router } from "../trpc.ts";

/**
 * Forgotten password (S2S with the `recovery` scope: the caller delivers the code) and password
 * change (the signed-in user).
 */
export const passwordRouter = router({
  forgot: apiKeyProcedure("recovery")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/password/forgot",
        tags: ["auth"],
        summary: "Issue a one-time password-reset code for the caller to deliver (same answer for an unknown e-mail)",
      },
    })
    .input(z.strictObject({ email: User.Email }))
    .output(
      z.object({
        resetCode: z
          .string()
          .describe("Single-use code; deliver it to the address. Matches nothing if the address has no account"),
        expiresAt: z.iso.datetime().describe("ISO-8601 time the code stops working"),
      }),
    )
    .mutation(({ input, ctx }) => Password.forgot(input.email, ctx.audit)),

  reset: apiKeyProcedure("recovery")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/password/reset",
        tags: ["auth"],
        summary: "Set a new password with a reset code; ends every session of the user",
        errorResponses: [404, 410],
      },
    })
    .input(z.strictObject({ code: Password.ResetCode, newPassword: User.NewPassword }))
    .output(z.object({ reset: z.literal(true), userId: z.string() }))
    .mutation(async ({ input, ctx }) => {
      const { userId } = await Password.reset(input.code, input.newPassword, ctx.audit);
      return { reset: true as const, userId };
    }),

  change: bearerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/public/user/me/password",
        tags: ["public"],
        summary:
          "Change the caller's password; ends every session (sign in again). A wrong current password counts toward the login lockout",
        errorResponses: [403],
      },
    })
    .input(z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: User.NewPassword }))
    .output(z.object({ changed: z.literal(true) }))
    .mutation(async ({ input, ctx }) => {
      await Password.change(ctx.caller.user, input.currentPassword, input.newPassword, ctx.audit);
      return { changed: true as const };
    }),
});
