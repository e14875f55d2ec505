import { z } from "zod";
import { Auth, User } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

const tags = ["auth"];

export const authRouter = router({
  login: apiKeyProcedure
    .meta({ openapi: { method: "POST", path: "/auth/login", tags, summary: "Log in with e-mail and password" } })
    .input(z.strictObject({ email: User.Email, password: z.string().min(1).max(256) }))
    .output(
      z.object({
        accessToken: z.string(),
        idToken: z.string(),
        refreshToken: z.string(),
        expiresIn: z.number().int(),
        tokenType: z.literal("Bearer"),
      }),
    )
    .mutation(({ input }) => Auth.login(input.email, input.password)),
});
