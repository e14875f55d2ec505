import { randomUUID } from "node:crypto";
import * as Cognito from "../adapters/cognito.ts";
import { deleteUnder } from "../adapters/s3.ts";
import { userPrefixes } from "../assets/index.ts";
import { addressHash } from "../codes.ts";
import { UNIQUE_KINDS } from "../dynamo/entities/unique.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { handleFromName } from "./handle.ts";
import { find, remove as removeRecord } from "./record.ts";

const TOMBSTONE_TTL_SECONDS = 30 * 24 * 3600;
/** A backstop only: the consumer of `user.deleted` purges within seconds, the reconciler within minutes. */
const PURGE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Hard delete, in an order that a failure at any step cannot wedge:
 * 1. one transaction removes the profile, its guards and pending code, and writes a tombstone and
 *    the `user.deleted` event (nothing personal in it) — from here the user is gone for every
 *    read, login and token check;
 * 2. the user's S3 objects, 3. the Cognito user, 4. the tombstone.
 * If 2–4 fail, the tombstone remains: a retried DELETE, or the reconciler, resumes at step 2.
 * The user's other events are purged after the DELETE has answered, by the consumer of
 * `user.deleted` (events/purge.ts); the first transaction records that purge as an intent, so the
 * reconciler does it if the consumer never does (a lost event, a function out of retries).
 */
export const remove = async (id: string, audit: Audit = SYSTEM): Promise<void> => {
  const user = await find(id, { consistent: true });
  if (user) {
    const values = {
      email: user.email,
      name: user.name.toLowerCase(),
      handle: handleFromName(user.name).toLowerCase(),
    };
    const outcome = await removeRecord(
      id,
      (tx) => [
        ...UNIQUE_KINDS.map((kind) => tx.unique.delete({ kind, value: values[kind] }).commit()),
        ...(user.activationHash ? [tx.activation.delete({ codeHash: user.activationHash }).commit()] : []),
        tx.deletion
          .put({ userId: id, email: user.email, expiresAt: Math.floor(Date.now() / 1000) + TOMBSTONE_TTL_SECONDS })
          .commit(),
        // The purge of the user's other events, owed until its consumer (or the reconciler) does it.
        tx.intent
          .put({
            kind: "purge",
            subject: id,
            token: randomUUID(),
            expiresAt: Math.floor(Date.now() / 1000) + PURGE_TTL_SECONDS,
          })
          .commit(),
      ],
      { audit, events: [{ type: "user.deleted", data: {} }] },
    );
    if (outcome.canceled) throw new AppError("CONFLICT", "The user changed during deletion; retry");
    // A pending password reset (it also expires on its own): its code must not outlive the account.
    await db()
      .entities.resetPointer.delete({ emailHash: addressHash(user.email) })
      .go();
  } else {
    const { data: tombstone } = await db().entities.deletion.get({ userId: id }).go({ consistent: true });
    if (!tombstone) throw new AppError("NOT_FOUND", "User not found");
  }
  await finishDeletion(id);
};

/** Steps 2–4 of a deletion whose tombstone is written; each is idempotent, so running it twice is harmless. */
export const finishDeletion = async (id: string): Promise<void> => {
  await deleteUnder(userPrefixes(id)); // pending uploads, avatars, and the pre-layout prefix
  await Cognito.deleteUser(id);
  await db().entities.deletion.delete({ userId: id }).go();
};

/** A deletion that has not finished: its Cognito user may still exist. */
export const pendingDeletionOf = async (email: string, userId: string): Promise<boolean> => {
  const { data } = await db().entities.deletion.get({ userId }).go({ consistent: true });
  return data?.email === email;
};
