/**
 * Typed access for TypeScript callers. Type-only: importing this pulls no server code at run time.
 * `createTRPCClient<AppRouter>(…)` from `@trpc/client` gives a fully typed client today.
 */
export type { AppRouter } from "@iam/functions/router";
