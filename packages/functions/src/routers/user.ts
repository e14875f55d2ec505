import { z } from "zod";
import { User } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

const tags = ["user"];

export const userRouter = router({
  register: apiKeyProcedure
    .meta({
      openapi: { method: "POST", path: "/user", tags, summary: "Register a user", successDescription: "The new user and its activation code" },
    })
    .input(User.RegisterInput)
    .output(User.Registered)
    .mutation(({ input, ctx }) => User.register(input, { sourceIp: ctx.sourceIp })),

  activate: apiKeyProcedure
    .meta({
      openapi: { method: "GET", path: "/user/activate/{activationCode}", tags, summary: "Activate a user with its single-use code" },
    })
    .input(z.object({ activationCode: z.string().regex(/^[A-Za-z0-9_-]{21}$/, "a 21-character activation code") }))
    .output(User.Info)
    .query(({ input }) => User.activate(input.activationCode)),

  byId: apiKeyProcedure
    .meta({ openapi: { method: "GET", path: "/user/{id}", tags, summary: "Get a user by id" } })
    .input(z.object({ id: User.Id }))
    .output(User.Info)
    .query(async ({ input }) => User.toInfo(await User.getById(input.id))),
});
