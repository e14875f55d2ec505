import { z } from "zod";
import { Events, User } from "@iam/core";
import { bearerProcedure, router } from "../trpc.ts";

const tags = ["public"];

export const publicRouter = router({
  me: bearerProcedure
    .meta({ openapi: { method: "GET", path: "/public/user/me", tags, summary: "The caller's own profile" } })
    .input(z.void())
    .output(User.Info)
    .query(({ ctx }) => ctx.caller.user),

  events: bearerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/public/user/me/events",
        tags,
        summary: `The caller's own security log (logins, lockouts, password and session events), newest first (cursor pagination, at most ${Events.MAX_PAGE_SIZE} a page)`,
      },
    })
    .input(Events.SecurityListOptions)
    .output(Events.Page)
    // Always the caller's own: the subject comes from the token, never from the input.
    .query(({ input, ctx }) => Events.listSecurity(ctx.caller.user.id, input)),
});
