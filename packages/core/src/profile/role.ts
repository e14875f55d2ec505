import type { z } from "zod";
import * as Cognito from "../adapters/cognito.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { retryTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { abandon, begin, checkItem, cleanup, finish, type Intent } from "../reconcile/intents.ts";
import { settleRole } from "../reconcile/role.ts";
import { revokeSessions } from "../session/revoke.ts";
import { toInfo } from "../user/mapper.ts";
import type { Info, Role } from "../user/schema.ts";
import { getById } from "../user/store.ts";

type RoleName = z.infer<typeof Role>;

/**
 * Changes the role, keeping the Cognito group (what `cognito:groups` in new tokens says) and the
 * stored role in step, under a role intent (reconcile/intents.ts): 1. record the intent, 2. add the
 * new group, 3. write the role — in a transaction that also checks the intent is still this
 * attempt's, so a write that reaches DynamoDB late cannot land after the attempt was given up —
 * 4. remove the old group, 5. end the user's sessions (tokens carry the old groups), 6. remove the
 * intent. On a failure the attempt gives its intent up, puts the old role back if it was written,
 * and makes the groups match the stored role (`settleRole`); what it cannot finish, the next role
 * change or the reconciler does. Setting the role the user already has changes nothing.
 */
export const setRole = async (id: string, role: RoleName): Promise<Info> => {
  const user = await getById(id, { consistent: true });
  const previous = user.role;
  if (previous === role) return toInfo(user);

  const intent = await begin("role", id, settleRole);
  try {
    await Cognito.addToGroup(id, role);
    const result = await retryTransaction(() =>
      db()
        .transaction.write(({ user: users, intent: intents }) => [
          users
            .patch({ id })
            .set({ role })
            .where((u, { eq }) => eq(u.role, previous))
            .commit(),
          checkItem(intents, intent),
        ])
        .go(),
    );
    if (result.canceled) {
      if (result.data[1]?.code === "ConditionalCheckFailed")
        throw new AppError("SERVICE_UNAVAILABLE", "The role change took too long and was undone; retry", { retryAfterSeconds: 1 });
      throw new AppError("CONFLICT", "The user's role changed meanwhile; retry", { retryAfterSeconds: 1 });
    }
    await Cognito.removeFromGroup(id, previous);
    await revokeSessions(id);
  } catch (e) {
    await cleanup(() => undo(intent, previous, role));
    throw e;
  }
  await cleanup(() => finish(intent));
  return toInfo(await getById(id, { consistent: true }));
};

/** The caller hears of a failure, so the change must not stand: old role back (if it was written), groups to match. */
const undo = async (intent: Intent, previous: RoleName, role: RoleName) => {
  if ((await abandon(intent)) === "gone") return;
  try {
    await db()
      .entities.user.patch({ id: intent.subject })
      .set({ role: previous })
      .where((u, { eq }) => eq(u.role, role))
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e; // not written (or the user is gone): nothing to put back
  }
  await settleRole({ ...intent, state: "aborting" });
};
