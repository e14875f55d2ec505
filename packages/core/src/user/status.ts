import type { z } from "zod";
import * as Cognito from "../adapters/cognito.ts";
import { update } from "./record.ts";
import type { Info, Status } from "./schema.ts";
import { revocationTime } from "./sessions.ts";

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
  const suspended = status === "SUSPENDED";
  const user = await update(id, { set: suspended ? { status, tokensValidAfter: revocationTime() } : { status } });
  if (suspended) await Cognito.globalSignOut(id);
  return user;
};
