import { AppError } from "../errors.ts";

/** Cognito's password policy refusal as a 400; anything else unchanged. */
export const rejectWeakPassword = (e: unknown): unknown =>
  (e as Error).name === "InvalidPasswordException"
    ? new AppError("BAD_REQUEST", "The new password does not meet the password policy", {}, { cause: e })
    : e;
