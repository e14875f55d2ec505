import { Directory } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

/** The user directory: filtered, paginated listing. */
export const directoryRouter = router({
  list: apiKeyProcedure("read")
    .meta({
      openapi: {
        method: "GET",
        path: "/user",
        tags: ["user"],
        summary: `List users, oldest first, optionally by status and/or role (cursor pagination, at most ${Directory.MAX_PAGE_SIZE} a page)`,
      },
    })
    .input(Directory.ListInput)
    .output(Directory.Page)
    .query(({ input }) => Directory.list(input)),
});
