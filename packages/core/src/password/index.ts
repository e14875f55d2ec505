import * as Cognito from "../adapters/cognito.ts";
import { clearAccount, giveBack, reserve } from "../auth/lockout.ts";
import { checkPassword } from "../auth/login.ts";
import { addressHash, hashCode, newCode } from "../codes.ts";
import { db } from "../dynamo/service.ts";
import { retryTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { type Audit, create, SYSTEM } from "../events/event.ts";
import { put as putEvent } from "../events/store.ts";
import { bounded } from "../schema-bounds.ts";
import { recordRevocation, revokeSessions, type Revocation } from "../session/index.ts";
import { find } from "../user/record.ts";
import type { Info } from "../user/schema.ts";

/**
 * Passwords: a forgotten one (a reset code the caller delivers, then a new password with it) and
 * a change by the signed-in user. What a new password must be is the user's schema
 * (`User.NewPassword`, one rule for registration and here).
 */

/** A reset code as `forgot` hands it out: 21 URL-safe characters (the activation code's format). */
export const ResetCode = bounded(21, "a 21-character reset code").regex(
  /^[A-Za-z0-9_-]{21}$/,
  "a 21-character reset code",
);

/** How long a reset code stays valid. */
export const RESET_TTL_SECONDS = 3600;

export type ResetTicket = { resetCode: string; expiresAt: string };

/**
 * Issues a single-use reset code for the caller to deliver (e-mail, SMS…). Known and unknown
 * addresses get the same answer and cost the same work — one GetItem (the address's guard, which
 * names the account or nothing) and one TransactWrite (the code, the address's pointer to it,
 * which replaces any earlier code, and a check that the guard is still as read) — so neither the
 * answer nor its timing tells whether the address has an account. The code of an unknown address
 * names no user and resets nothing. The same transaction records `password.reset_requested`
 * (never the code), about the account or, for an unknown address, about the address's hash: an
 * event either way.
 *
 * The guard check is what keeps the event from outliving its user: a DELETE between the read and
 * the write removes the guard, the transaction is cancelled, and the next round finds the address
 * unknown and records the event about its hash — never under a user the purge has already passed.
 */
export const forgot = async (email: string, audit: Audit = SYSTEM): Promise<ResetTicket> => {
  const resetCode = newCode();
  const codeHash = hashCode(resetCode);
  const expiresAt = Math.floor(Date.now() / 1000) + RESET_TTL_SECONDS;
  const address = addressHash(email);
  const guardKey = { kind: "email", value: email.toLowerCase() } as const;
  for (let round = 0; round < GUARD_ROUNDS; round++) {
    const { data: guard } = await db()
      .entities.unique.get(guardKey)
      .go({ consistent: round > 0 });
    const userId = guard?.userId;
    const event = create({
      type: "password.reset_requested",
      subject: userId ? { userId } : { addressHash: address },
      actor: audit.actor,
      sourceIp: audit.sourceIp,
      data: {},
    });
    const result = await retryTransaction(() =>
      db()
        .transaction.write(({ passwordReset, resetPointer, unique }) => [
          passwordReset.put({ codeHash, emailHash: address, userId, expiresAt }).commit(),
          resetPointer.put({ emailHash: address, codeHash, expiresAt }).commit(),
          // The guard as read: naming the same user, or (unknown address) still absent.
          unique
            .check(guardKey)
            .where((g, { eq, notExists }) => (userId ? eq(g.userId, userId) : notExists(g.userId)))
            .commit(),
          putEvent(event),
        ])
        .go(),
    );
    if (!result.canceled) return { resetCode, expiresAt: new Date(expiresAt * 1000).toISOString() };
    // Only a guard that changed since it was read (a deletion, a registration) is read again.
    if (result.data[2]?.code !== "ConditionalCheckFailed") break;
  }
  throw new AppError("CONFLICT", "Another reset of this address is under way; retry");
};

/** How many times forgot reads the address's guard again when it changed under the write. */
const GUARD_ROUNDS = 3;

const unknownCode = () => new AppError("NOT_FOUND", "Unknown or already used reset code");

/**
 * Sets a new password with a reset code. The code must be its address's current one (a newer
 * `forgot` replaced it otherwise) and name a user (a code issued for an unknown address answers
 * like any unknown code). It is consumed first — the code and the pointer to it deleted in one
 * transaction, on condition that both are still there, so of two racing requests only one
 * proceeds; if Cognito then refuses the password, both are put back. Every session of the user
 * ends — recorded before the password is set (with `session.ended`) and again after (with
 * `password.reset`: the password has changed) — and the account-wide lockout window closes.
 */
export const reset = async (
  code: string,
  newPassword: string,
  audit: Audit = SYSTEM,
): Promise<{ userId: string } & Revocation> => {
  const codeHash = hashCode(code);
  const { data: pending } = await db().entities.passwordReset.get({ codeHash }).go({ consistent: true });
  if (!pending) throw unknownCode();
  if (pending.expiresAt * 1000 < Date.now()) throw new AppError("GONE", "Reset code has expired");
  if (!pending.userId) throw unknownCode();
  const user = await find(pending.userId, { consistent: true });
  const consumed = await retryTransaction(() =>
    db()
      .transaction.write(({ passwordReset, resetPointer }) => [
        passwordReset
          .delete({ codeHash })
          .where((c, { exists }) => exists(c.emailHash))
          .commit(),
        resetPointer
          .delete({ emailHash: pending.emailHash })
          .where((p, { eq }) => eq(p.codeHash, codeHash))
          .commit(),
      ])
      .go(),
  );
  if (consumed.canceled || !user) throw unknownCode();
  // Sessions end before the password changes: a crash or a lost answer below cannot leave them alive.
  await recordRevocation(user.id, { audit, events: [{ type: "session.ended", data: { reason: "password_reset" } }] });
  try {
    await Cognito.setPassword(user.id, newPassword);
  } catch (e) {
    // Put the code back, and its pointer unless a newer code has taken its place meanwhile.
    await db()
      .transaction.write(({ passwordReset, resetPointer }) => [
        passwordReset.put(pending).commit(),
        resetPointer.create({ emailHash: pending.emailHash, codeHash, expiresAt: pending.expiresAt }).commit(),
      ])
      .go();
    throw e;
  }
  // Again after: a sign-in with the old password in between, and Cognito's own refresh tokens.
  const revocation = await revokeSessions(user.id, { audit, events: [{ type: "password.reset", data: {} }] });
  await clearAccount(user.email);
  return { userId: user.id, ...revocation };
};

/**
 * The signed-in user changes their password. The current password is checked by signing in with
 * it, under the login lockout (the caller's address, as login without `clientIp`): a wrong one is
 * a 403 and counts as a failed login, and a locked account gets 429. Afterwards every session
 * ends, the caller's own included (sign in again with the new password): `session.ended` with
 * the first revocation, `password.changed` with the second, once the password has changed.
 * `audit.sourceIp` is the caller's address, for the lockout too.
 */
export const change = async (
  user: Pick<Info, "id" | "email">,
  currentPassword: string,
  newPassword: string,
  audit: Audit = SYSTEM,
): Promise<Revocation> => {
  if (currentPassword === newPassword)
    throw new AppError("BAD_REQUEST", "The new password must differ from the current one");
  const attempt = await reserve(user.email, audit.sourceIp, audit);
  await checkPassword(
    attempt,
    user.email,
    currentPassword,
    audit,
    () => new AppError("FORBIDDEN", "The current password is not correct"),
  );
  await giveBack(attempt);
  // Sessions end before the password changes (a crash or a lost answer below cannot leave them
  // alive), and again after it (a sign-in with the old password in between; Cognito's refresh tokens).
  await recordRevocation(user.id, { audit, events: [{ type: "session.ended", data: { reason: "password_changed" } }] });
  await Cognito.setPassword(user.id, newPassword);
  return revokeSessions(user.id, { audit, events: [{ type: "password.changed", data: {} }] });
};
