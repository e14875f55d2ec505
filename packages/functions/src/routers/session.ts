import { z } from "zod";
import { Session } from "@iam/core";
import { apiKeyProcedure, bearerProcedure, router } from "../trpc.ts";

/** Refresh (S2S, with the user's refresh token) and logout (the signed-in user). */
export const sessionRouter = router({
  refresh: apiKeyProcedure("auth")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/refresh",
        tags: ["auth"],
        summary:
          "New access and id tokens for a refresh token (refused after logout, password change, suspension or deletion)",
      },
    })
    .input(z.strictObject({ refreshToken: z.string().min(1).max(8192) }))
    .output(
      z.object({
        accessToken: z.string(),
        idToken: z.string(),
        expiresIn: z.number().int(),
        tokenType: z.literal("Bearer"),
      }),
    )
    .mutation(({ input }) => Session.refresh(input.refreshToken)),

  logout: bearerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/public/user/me/logout",
        tags: ["public"],
        summary: "End every session of the caller: tokens and refresh tokens issued before stop working",
      },
    })
    .input(z.strictObject({}).optional().describe("No input: an empty body, or `{}`"))
    .output(
      z.object({
        loggedOut: z.literal(true),
        tokensValidAfter: z.iso.datetime().describe("ISO-8601: tokens issued before are refused"),
      }),
    )
    .mutation(async ({ ctx }) => {
      const { tokensValidAfter } = await Session.logout(ctx.caller.user.id, ctx.audit);
      return { loggedOut: true as const, tokensValidAfter: new Date(tokensValidAfter * 1000).toISOString() };
    }),
});
