import type { z } from "zod";
import * as Cognito from "../adapters/cognito.ts";
import { ROLES } from "../dynamo/entities/user.ts";
import { abandon, begin, checkItem, cleanup, finish, type Intent } from "../dynamo/intents.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { revokeSessions } from "../session/index.ts";
import { toInfo } from "../user/info.ts";
import { find, get, updateIf, updateWith } from "../user/record.ts";
import type { Info, Role } from "../user/schema.ts";

type RoleName = z.infer<typeof Role>;

/**
 * Changes the role, keeping the Cognito group (what `cognito:groups` in new tokens says) and the
 * stored role in step, under a role intent (dynamo/intents.ts): 1. record the intent, 2. add the
 * new group, 3. write the role — in a transaction that also checks the intent is still this
 * attempt's, so a write that reaches DynamoDB late cannot land after the attempt was given up —
 * 4. remove the old group, 5. end the user's sessions (tokens carry the old groups), 6. remove the
 * intent. On a failure the attempt gives its intent up, puts the old role back if it was written,
 * and makes the groups match the stored role (`settleRole`); what it cannot finish, the next role
 * change or the reconciler does. Setting the role the user already has changes nothing.
 */
export const setRole = async (id: string, role: RoleName, audit: Audit = SYSTEM): Promise<Info> => {
  const user = await get(id, { consistent: true });
  const previous = user.role;
  if (previous === role) return toInfo(user);

  const intent = await begin("role", id, settleRole);
  try {
    await Cognito.addToGroup(id, role);
    const outcome = await updateWith(
      id,
      { set: { role } },
      { role: previous },
      (tx) => [checkItem(tx.intent, intent)],
      {
        audit,
        events: [{ type: "user.role_changed", data: { from: previous, to: role } }],
      },
    );
    if (outcome.canceled) {
      if (outcome.reasons[1]?.code === "ConditionalCheckFailed")
        throw new AppError("SERVICE_UNAVAILABLE", "The role change took too long and was undone; retry", {
          retryAfterSeconds: 1,
        });
      throw new AppError("CONFLICT", "The user's role changed meanwhile; retry", { retryAfterSeconds: 1 });
    }
    await Cognito.removeFromGroup(id, previous);
    await revokeSessions(id, ended(audit));
  } catch (e) {
    await cleanup(() => undo(intent, previous, role, audit));
    throw e;
  }
  await cleanup(() => finish(intent));
  return toInfo(await get(id, { consistent: true }));
};

/** `session.ended` because the role changed (tokens name the old group). */
const ended = (audit: Audit) => ({
  audit,
  events: [{ type: "session.ended", data: { reason: "role_changed" } }] as const,
});

/**
 * The caller hears of a failure, so the change must not stand: old role back (if it was written,
 * with its own `user.role_changed` back, so the trail shows both), groups to match.
 */
const undo = async (intent: Intent, previous: RoleName, role: RoleName, audit: Audit) => {
  if ((await abandon(intent)) === "gone") return;
  try {
    // Not written (or the user is gone): nothing to put back.
    await updateIf(
      intent.subject,
      { role },
      { set: { role: previous } },
      { record: { audit, events: [{ type: "user.role_changed", data: { from: role, to: previous } }] } },
    );
  } finally {
    // Whatever the stored role now is (the put-back may fail as the change did), the groups follow it.
    await settleRole({ ...intent, state: "aborting" });
  }
};

const isRole = (group: string): boolean => (ROLES as readonly string[]).includes(group);

/**
 * Resolves a role-change intent whose owner is gone or gave up: the stored role is the truth, and
 * the user's Cognito groups (what `cognito:groups` in new tokens says) are made to match it — the
 * role's group added, every other role group removed. If that changed anything, tokens issued in
 * between may carry a wrong group, so the user's sessions end. Idempotent.
 */
export const settleRole = async (intent: Intent): Promise<"converged" | "gone"> => {
  if (intent.state === "pending" && (await abandon(intent)) === "gone") return "gone";
  const user = await find(intent.subject, { consistent: true });
  if (user) {
    const groups = await Cognito.groupsOf(user.id);
    let changed = false;
    if (!groups.includes(user.role)) {
      await Cognito.addToGroup(user.id, user.role);
      changed = true;
    }
    for (const group of groups.filter((g) => g !== user.role && isRole(g))) {
      await Cognito.removeFromGroup(user.id, group);
      changed = true;
    }
    if (changed) await revokeSessions(user.id, ended(SYSTEM));
  }
  await finish(intent);
  return "converged";
};
