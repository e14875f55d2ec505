import * as Cognito from "../adapters/cognito.ts";
import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "./mapper.ts";
import { revocationTime } from "./sessions.ts";
import type { Info, Status } from "./schema.ts";
import type { z } from "zod";

/**
 * Sets the status. The profile is the source of truth: only a CONFIRMED user logs in, and every
 * request checks this record (`isLive`).
 *
 * Suspension ends every session as logout does: our revocation time, written with the status, and
 * Cognito's global sign-out, which revokes the user's refresh tokens at the source, so one
 * exchanged at Cognito directly during the suspension yields nothing. The Cognito user is not
 * disabled: AWS would then answer "User is disabled" before looking at the password, and a wrong
 * password must stay a 401 while only the right one learns of the suspension (403).
 */
export const setStatus = async (id: string, status: z.infer<typeof Status>): Promise<Info> => {
  let item: UserItem;
  try {
    const update = db().entities.user.patch({ id }).set({ status });
    if (status === "SUSPENDED") update.set({ tokensValidAfter: revocationTime() });
    const { data } = await update.go({ response: "all_new" });
    item = data as UserItem;
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "User not found");
    throw e;
  }
  if (status === "SUSPENDED") await Cognito.globalSignOut(id);
  return toInfo(item);
};
