import { z } from "zod";
import { User } from "@iam/core";
import { bearerProcedure, router } from "../trpc.ts";

const tags = ["public"];

export const publicRouter = router({
  me: bearerProcedure
    .meta({ openapi: { method: "GET", path: "/public/user/me", tags, summary: "The caller's own profile" } })
    .input(z.void())
    .output(User.Info)
    .query(({ ctx }) => ctx.caller.user),
});
