import * as Cognito from "../adapters/cognito.ts";
import { ROLES } from "../dynamo/entities/user.ts";
import { revokeSessions } from "../session/revoke.ts";
import { findById } from "../user/store.ts";
import { abandon, finish, type Intent } from "./intents.ts";

const isRole = (group: string): boolean => (ROLES as readonly string[]).includes(group);

/**
 * Resolves a role-change intent whose owner is gone or gave up: the stored role is the truth, and
 * the user's Cognito groups (what `cognito:groups` in new tokens says) are made to match it — the
 * role's group added, every other role group removed. If that changed anything, tokens issued in
 * between may carry a wrong group, so the user's sessions end. Idempotent.
 */
export const settleRole = async (intent: Intent): Promise<"converged" | "gone"> => {
  if (intent.state === "pending" && (await abandon(intent)) === "gone") return "gone";
  const user = await findById(intent.subject, { consistent: true });
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
    if (changed) await revokeSessions(user.id);
  }
  await finish(intent);
  return "converged";
};
