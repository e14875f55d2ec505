import * as Cognito from "../adapters/cognito.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { revocationTime } from "../user/sessions.ts";

export type Revocation = {
  /** Epoch seconds: every token, and every session (refresh token), that began before is refused. */
  tokensValidAfter: number;
};

/**
 * Writes our own revocation record (`tokensValidAfter`) only: what every route and the refresh
 * check read, so every session begun before is over for this service from here on. A change that
 * also touches Cognito (a password set) calls this FIRST, so that a crash or a lost answer in
 * between can leave sessions ended too early, never alive too long.
 */
export const recordRevocation = async (userId: string): Promise<Revocation> => {
  const tokensValidAfter = revocationTime();
  try {
    await db().entities.user.patch({ id: userId }).set({ tokensValidAfter }).go();
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "User not found");
    throw e;
  }
  return { tokensValidAfter };
};

/**
 * Ends every session of the user: first our own record, which holds whatever Cognito does; then
 * Cognito's global sign-out, which on AWS also revokes the refresh tokens at the source.
 */
export const revokeSessions = async (userId: string): Promise<Revocation> => {
  const revocation = await recordRevocation(userId);
  await Cognito.globalSignOut(userId);
  return revocation;
};
