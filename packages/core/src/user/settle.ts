import * as Cognito from "../adapters/cognito.ts";
import { abandon, finish, type Intent } from "../dynamo/intents.ts";
import { db } from "../dynamo/service.ts";
import { finishDeletion, pendingDeletionOf } from "./delete.ts";

/**
 * Resolves a registration intent whose owner is gone or gave up. The registration's commit removes
 * its intent, so an intent still here never committed — and once marked `aborting` it never will.
 * What it may have left is a Cognito user under its e-mail with no profile: deleted by its `sub`,
 * unless the e-mail's guard names that user (a registered user, not ours) or a deletion of it is
 * pending (that deletion is finished instead). Then the intent goes. Safe to run twice, or
 * alongside another run: every step is conditional or idempotent.
 */
export const settleRegistration = async (intent: Intent): Promise<"rolled back" | "gone"> => {
  if (intent.state === "pending" && (await abandon(intent)) === "gone") return "gone";
  const email = intent.subject;
  const user = await Cognito.findUser(email);
  if (user?.sub) {
    const { data: guard } = await db().entities.unique.get({ kind: "email", value: email }).go({ consistent: true });
    if (guard?.userId !== user.sub) {
      if (await pendingDeletionOf(email, user.sub)) await finishDeletion(user.sub);
      else await Cognito.deleteUser(user.sub);
    }
  }
  await finish(intent);
  return "rolled back";
};
