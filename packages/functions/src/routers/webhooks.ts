import { Events } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

/** Webhook delivery, for administrators: the deliveries that ran out of retries. */
export const webhooksRouter = router({
  deadLetters: apiKeyProcedure("admin")
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/webhooks/dead-letters",
        tags: ["admin"],
        summary: `Webhook deliveries that kept failing until their retries ran out, newest first (cursor pagination, at most ${Events.DeadLetters.MAX_PAGE_SIZE} a page; kept ${Events.DeadLetters.DEAD_LETTER_RETENTION_DAYS} days)`,
      },
    })
    .input(Events.DeadLetters.ListInput)
    .output(Events.DeadLetters.Page)
    .query(({ input }) => Events.DeadLetters.list(input)),
});
