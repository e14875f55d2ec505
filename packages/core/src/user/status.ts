import type { z } from "zod";
import * as Cognito from "../adapters/cognito.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { toInfo } from "./info.ts";
import { get, type Note, updateIf } from "./record.ts";
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
 *
 * Events, in the status's write (on condition that the status is still the one read, so `from`
 * is true): `user.status_changed` when it changes, `session.ended` whenever sessions end. Setting
 * the status a user already has (other than a suspension, which ends sessions again) writes nothing.
 */
export const setStatus = async (id: string, status: z.infer<typeof Status>, audit: Audit = SYSTEM): Promise<Info> => {
  const suspended = status === "SUSPENDED";
  const user = await get(id, { consistent: true });
  if (user.status === status && !suspended) return toInfo(user);
  const events: Note[] = [];
  if (user.status !== status) events.push({ type: "user.status_changed", data: { from: user.status, to: status } });
  if (suspended) events.push({ type: "session.ended", data: { reason: "suspended" } });
  const updated = await updateIf(
    id,
    { status: user.status },
    { set: suspended ? { status, tokensValidAfter: revocationTime() } : { status } },
    { record: { audit, events } },
  );
  if (!updated) throw new AppError("CONFLICT", "The user's status changed meanwhile; retry", { retryAfterSeconds: 1 });
  if (suspended) await Cognito.globalSignOut(id);
  return updated;
};
