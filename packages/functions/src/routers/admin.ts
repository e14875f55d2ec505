import { z } from "zod";
import { ApiKey } from "@iam/core";
import { apiKeyProcedure, router } from "../trpc.ts";

const tags = ["admin"];
const admin = apiKeyProcedure("admin");
const KeyId = z.object({
  keyId: z
    .string()
    .max(16, { abort: true, message: "a 16-character key id" })
    .regex(/^[A-Za-z0-9]{16}$/, "a 16-character key id"),
});
const WithSecret = ApiKey.ApiKeyInfo.extend({
  apiKey: z.string().describe("The key itself: shown once, store it now"),
});

/** Machine API keys: create, list, revoke, rotate. Admin scope only. */
export const adminRouter = router({
  createKey: admin
    .meta({
      openapi: {
        method: "POST",
        path: "/admin/keys",
        tags,
        summary: "Create a machine API key (the secret is returned once)",
      },
    })
    .input(ApiKey.CreateKeyInput)
    .output(WithSecret)
    .mutation(({ input, ctx }) => ApiKey.create(input, ctx.audit)),

  listKeys: admin
    .meta({
      openapi: { method: "GET", path: "/admin/keys", tags, summary: "List machine API keys (never their secrets)" },
    })
    .input(z.void())
    .output(z.object({ keys: z.array(ApiKey.ApiKeyInfo) }))
    .query(async () => ({ keys: await ApiKey.list() })),

  revokeKey: admin
    .meta({ openapi: { method: "DELETE", path: "/admin/keys/{keyId}", tags, summary: "Revoke a machine API key now" } })
    .input(KeyId)
    .output(ApiKey.ApiKeyInfo)
    .mutation(({ input, ctx }) => ApiKey.revoke(input.keyId, ctx.audit)),

  rotateKey: admin
    .meta({
      openapi: {
        method: "POST",
        path: "/admin/keys/{keyId}/rotate",
        tags,
        summary:
          "Replace a key (same name, scopes and expiry); the old one keeps working for a grace window. A revoked, expired or rotated key: 409",
        errorResponses: [404, 409],
      },
    })
    .input(
      KeyId.extend({
        graceSeconds: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 3600)
          .default(3600),
      }),
    )
    .output(WithSecret)
    .mutation(({ input, ctx }) => ApiKey.rotate(input.keyId, input.graceSeconds, ctx.audit)),
});
