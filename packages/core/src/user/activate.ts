import * as Cognito from "../adapters/cognito.ts";
import { hashCode } from "../codes.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { toInfo } from "./info.ts";
import { get, updateWith } from "./record.ts";
import type { Info } from "./schema.ts";

const unknownCode = () => new AppError("NOT_FOUND", "Unknown or already used activation code");

/**
 * Consumes an activation code: marks the e-mail verified in Cognito (idempotent, so first), then in
 * one transaction deletes the code — on condition that it still exists, so a code works once
 * even when two requests race — and confirms the user if still UNCONFIRMED, recording
 * `user.activated` then only: a user already CONFIRMED, or SUSPENDED, keeps its status and the
 * code is consumed without an event (nothing about the user changed).
 */
export const activate = async (code: string, audit: Audit = SYSTEM): Promise<Info> => {
  const codeHash = hashCode(code);
  const { data: pending } = await db().entities.activation.get({ codeHash }).go({ consistent: true });
  if (!pending) throw unknownCode();
  if (pending.expiresAt * 1000 < Date.now()) throw new AppError("GONE", "Activation code has expired");
  const user = await get(pending.userId, { consistent: true });
  const confirms = user.status === "UNCONFIRMED";
  await Cognito.markEmailVerified(user.email);
  const outcome = await updateWith(
    pending.userId,
    { set: { status: confirms ? "CONFIRMED" : user.status }, remove: ["activationHash"] },
    { status: user.status },
    (tx) => [
      tx.activation
        .delete({ codeHash })
        .where((a, { exists }) => exists(a.userId))
        .commit(),
    ],
    { audit, events: confirms ? [{ type: "user.activated", data: {} }] : [] },
  );
  if (outcome.canceled) {
    if (outcome.reasons[1]?.code === "ConditionalCheckFailed") throw unknownCode();
    throw new AppError("CONFLICT", "The user changed meanwhile; retry");
  }
  return toInfo(await get(pending.userId, { consistent: true }));
};
