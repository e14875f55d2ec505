import { z } from "zod";
import { Auth, User } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

const tags = ["auth"];

export const authRouter = router({
  login: apiKeyProcedure("auth")
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/login",
        tags,
        summary:
          "Log in with e-mail and password (failures lock the client address out of the account; see the lockout)",
      },
    })
    .input(
      z.strictObject({
        email: User.Email,
        password: z.string().max(256, { abort: true }).min(1),
        clientIp: Auth.ClientIp.optional(),
      }),
    )
    .output(
      z.object({
        accessToken: z.string(),
        idToken: z.string(),
        refreshToken: z.string(),
        expiresIn: z.number().int(),
        tokenType: z.literal("Bearer"),
      }),
    )
    // S2S callers (a BFF) pass the end user's address; without it the lockout counts the caller's own.
    // It is also the events' `sourceIp`.
    .mutation(({ input, ctx }) =>
      Auth.login(input.email, input.password, { ...ctx.audit, sourceIp: input.clientIp ?? ctx.sourceIp }),
    ),

  verify: apiKeyProcedure("auth")
    .meta({
      openapi: {
        method: "GET",
        path: "/auth/token/{tokenType}/verify/{token}",
        tags,
        summary: "Verify an access or id token (signature, issuer, client, expiry, and the user's current state)",
      },
      secretParams: ["token"],
    })
    .input(z.object({ tokenType: z.enum(["access", "id"]), token: z.string().min(1).max(8192) }))
    .output(
      z.object({
        valid: z.literal(true),
        tokenType: z.enum(["access", "id"]),
        sub: z.string(),
        groups: z.array(z.string()),
        expiresAt: z.iso.datetime().describe("ISO-8601 expiry of the token"),
      }),
    )
    .query(async ({ input }) => {
      const { token } = await Auth.authenticate(input.token, input.tokenType);
      return {
        valid: true as const,
        tokenType: token.tokenUse,
        sub: token.sub,
        groups: token.groups,
        expiresAt: new Date(token.expiresAt * 1000).toISOString(),
      };
    }),
});
