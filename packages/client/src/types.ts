import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@iam/functions/router";
import type { components } from "./rest-types.ts";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** The user as the API returns it. */
export type User = RouterOutputs["user"]["byId"];
/** What registration returns: the user plus its single-use activation code. */
export type RegisteredUser = RouterOutputs["user"]["register"];
export type RegisterInput = RouterInputs["user"]["register"];
export type Tokens = RouterOutputs["auth"]["login"];
export type TokenInfo = RouterOutputs["auth"]["verify"];
export type UserStatus = User["status"];
export type UserRole = User["role"];
export type Badge = User["profile"]["badges"][number];

/** The body of every error answered over REST. */
export type ApiError = components["schemas"]["ErrorBody"];
/** The `code` of an error, over REST (`error.code`) and tRPC (`iamErrorOf(e).code`). */
export type ErrorCode = ApiError["code"];
/** One problem with the input: the field's `path`, a `message` and a `code`. */
export type Issue = NonNullable<ApiError["issues"]>[number];
