import { createHash } from "node:crypto";
import { Config } from "../config.ts";
import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";

/** Counters are keyed by a hash of the address: the table keeps no list of the e-mails people tried. */
const account = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("base64url");
const nowS = () => Math.floor(Date.now() / 1000);

/**
 * Refuses with 429 + Retry-After while the account has `maxFailures` failures in its window, before
 * the password is looked at. Known and unknown addresses behave the same.
 */
export const assertNotLocked = async (email: string): Promise<void> => {
  const { maxFailures, windowSeconds } = Config.lockout;
  const { data } = await db().entities.loginFailure.get({ account: account(email) }).go({ consistent: true });
  if (!data) return;
  const reopensAt = data.windowStart + windowSeconds;
  const now = nowS();
  if (data.failures >= maxFailures && reopensAt > now)
    throw new AppError("TOO_MANY_REQUESTS", "Too many failed logins; try again later", { retryAfterSeconds: reopensAt - now });
};

/** Counts a failure atomically; a failure after the window starts a new one. */
export const recordFailure = async (email: string): Promise<void> => {
  const { windowSeconds } = Config.lockout;
  const key = { account: account(email) };
  const now = nowS();
  try {
    await db()
      .entities.loginFailure.upsert(key)
      .add({ failures: 1 })
      .ifNotExists({ windowStart: now, expiresAt: now + windowSeconds })
      .where((f, { notExists, gt }) => `${notExists(f.windowStart)} OR ${gt(f.windowStart, now - windowSeconds)}`)
      .go();
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    // The old window has passed: start a new one with this failure.
    await db().entities.loginFailure.put({ ...key, failures: 1, windowStart: now, expiresAt: now + windowSeconds }).go();
  }
};

export const clearFailures = async (email: string): Promise<void> => {
  await db().entities.loginFailure.delete({ account: account(email) }).go();
};
