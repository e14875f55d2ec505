import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { record as recordDeadLetter, type DeadLetter } from "./dead-letters.ts";
import type { Event } from "./event.ts";

/**
 * Webhook delivery, one attempt at a time, shared by production (the SQS-fed sender,
 * events/webhook-queue.ts) and `npm start` (packages/local/src/events): each environment only
 * decides WHEN the next attempt runs; what an attempt sends, what counts as a failure and when a
 * delivery is given up are decided here.
 *
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` is the event id, the same on
 * every attempt, so a receiver can drop repeats; `webhook-timestamp` is taken afresh for each
 * attempt and signed with it (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` by the
 * `standardwebhooks` package), so a retry is never refused as stale. The body is the event as JSON.
 */

/** One event on its way to one receiver. `attempt` counts from 1. */
export type Delivery = { event: Event; url: string; attempt: number; firstAttemptAt: string };

export type WebhookSettings = {
  /** `whsec_<base64>`: the signing secret, shared with the receivers. */
  secret: string;
  /** Seconds before each retry; its length is the number of retries before a dead letter. */
  schedule: readonly number[];
  /** An attempt that has not answered by then has failed. */
  timeoutSeconds: number;
};

export type Outcome =
  | { result: "delivered"; status: number }
  | { result: "retry"; next: Delivery; dueAt: number; failure: string }
  | { result: "dead"; deadLetter: DeadLetter; failure: string };

const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** A new signing secret: `whsec_` and 32 random bytes in base64 (what Standard Webhooks libraries expect). */
export const newSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** Refuses (by name, never by value) a secret that is not `whsec_` + base64 of at least 24 bytes. */
export const checkSecret = (secret: string): string => {
  if (!SECRET_FORMAT.test(secret))
    throw new Error("The webhook secret must be whsec_ followed by base64 of at least 24 random bytes");
  return secret;
};

/** The headers of one attempt: the id stays, the timestamp and so the signature are new each time. */
export const sign = (event: Event, body: string, secret: string, now = new Date()): Record<string, string> => ({
  "content-type": "application/json",
  "user-agent": "user-iam-webhooks/1",
  "webhook-id": event.id,
  "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
  "webhook-signature": new Webhook(secret).sign(event.id, now, body),
});

const describe = (e: unknown, timeoutSeconds: number): string => {
  const error = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error.name === "TimeoutError") return `no answer within ${timeoutSeconds} s`;
  return error.cause?.code ?? error.cause?.message ?? error.message ?? "request failed";
};

/**
 * One POST of the event to one URL. A 2xx is a delivery; anything else — another status, a
 * redirect (not followed: the receiver is the URL configured, nothing it points to), a timeout,
 * a refused connection — is a failure, described in a few words for the dead letter.
 */
export const post = async (
  delivery: Delivery,
  settings: WebhookSettings,
): Promise<{ ok: true; status: number } | { ok: false; failure: string }> => {
  const body = JSON.stringify(delivery.event);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: sign(delivery.event, body, settings.secret),
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutSeconds * 1000),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300
      ? { ok: true, status: response.status }
      : { ok: false, failure: `HTTP ${response.status}` };
  } catch (e) {
    return { ok: false, failure: describe(e, settings.timeoutSeconds) };
  }
};

/**
 * One attempt, and what follows from it: delivered; or the next attempt and when it is due (the
 * schedule's entry for this attempt); or, when the schedule is spent, a dead letter — written here,
 * before this returns, so that an environment that drops the delivery after "dead" loses nothing.
 */
export const attempt = async (
  delivery: Delivery,
  settings: WebhookSettings,
  now = () => Date.now(),
): Promise<Outcome> => {
  const sent = await post(delivery, settings);
  if (sent.ok) return { result: "delivered", status: sent.status };
  const wait = settings.schedule[delivery.attempt - 1];
  if (wait !== undefined)
    return {
      result: "retry",
      next: { ...delivery, attempt: delivery.attempt + 1 },
      dueAt: now() + wait * 1000,
      failure: sent.failure,
    };
  const deadLetter = await recordDeadLetter(delivery, sent.failure);
  return { result: "dead", deadLetter, failure: sent.failure };
};
