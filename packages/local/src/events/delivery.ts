import { join } from "node:path";
import { Events, parseRetrySchedule, parseWebhookUrls } from "@iam/core";
import { JsonFile } from "../cognito/store.ts";
import { credentials } from "../provision.ts";
import { StreamReader, type Checkpoints } from "./stream.ts";

/**
 * Webhook delivery for `npm start`: the production path is stream → EventBridge → SQS → sender, and
 * locally there is no bus or queue, so this reads DynamoDB Local's stream itself and delivers each
 * committed event with the same core function the production sender uses (`Events.attempt`: the
 * same request, signature, failure rules and dead letters). Only the scheduling is local:
 *
 * - One lane per receiver URL. A lane sends its deliveries one at a time, in the order the stream
 *   gave them, so a user's events arrive in commit order; a failed delivery waits for its retry
 *   OUT of the lane, so the events after it are not held up (a receiver that is down for an hour
 *   gets the hour's events when it is back, each retried on its own schedule). One slow receiver
 *   never delays another, nor the reading of the stream.
 * - Durable: the stream position and the deliveries not yet done live in one JSON file in the data
 *   folder, written whole (temp file, fsync, rename) after each change. A crash at any point loses
 *   nothing committed: what was read but not saved is read again from the saved position (so a
 *   receiver may see an event twice, with the same `webhook-id`). DynamoDB Local keeps a stream
 *   24 hours: a stack stopped for longer than that loses the events of the gap. A data folder's
 *   first run starts at that moment: the stream is read from its beginning, but events committed
 *   before delivery ever ran there are not sent.
 * - The purge of a deleted user's events (`Events.purgeUser`): on AWS the `EventPurger` function
 *   consumes `user.deleted` from the bus; here this reader does, once the event is committed (so
 *   after the DELETE has answered). A purge not yet done is kept in the same state file and tried
 *   again after each pass over the stream; it is idempotent, so a crash repeats it harmlessly.
 */
export const STATE_FILE = "events-delivery.json";

export type DeliverySettings = Events.WebhookSettings & { urls: readonly string[] };

export type EventDeliveryOptions = DeliverySettings & {
  dataDir: string;
  /** The stack's DynamoDB endpoint and table. */
  endpoint: string;
  tableName: string;
  /** How long to wait after a pass over the stream that found nothing (default 200 ms). */
  idleMs?: number;
  /**
   * Which deleted users' events this delivery purges (default: every one it reads — it is the
   * stack's purger). A delivery run beside others on a shared table (a test's) names its own
   * users, so it never purges a user another reader is still looking at.
   */
  purgesUser?: (userId: string) => boolean;
  log?: (line: string) => void;
};

export type EventDelivery = {
  /** Resolves after the next pass over the stream that found nothing new: the reader has caught up. */
  caughtUp: () => Promise<void>;
  stop: () => Promise<void>;
};

type Pending = { delivery: Events.Delivery; dueAt: number };
/**
 * `since`: when this data folder's delivery first ran; events committed before then are not sent.
 * `purges`: users whose deletion was read from the stream and whose events are not yet purged.
 */
type State = Checkpoints & { pending: Pending[]; since: string; purges: string[] };

/** The local stack's webhook settings from its environment (`IAM_WEBHOOK_*`), the secret given or generated. */
export const webhookSettings = (env: NodeJS.ProcessEnv, secret: string): DeliverySettings => ({
  urls: parseWebhookUrls(env.IAM_WEBHOOK_URLS),
  secret: Events.checkSecret(secret),
  // Locally the first retry comes after about a second, so a third attempt falls within a minute.
  schedule: parseRetrySchedule(env.IAM_WEBHOOK_RETRY_SCHEDULE) ?? [1, 2, 5, 15, 60, 300],
  timeoutSeconds: Number(env.IAM_WEBHOOK_TIMEOUT_SECONDS) > 0 ? Number(env.IAM_WEBHOOK_TIMEOUT_SECONDS) : 10,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const startEventDelivery = async (options: EventDeliveryOptions): Promise<EventDelivery> => {
  const log = options.log ?? (() => undefined);
  const file = await JsonFile.load(join(options.dataDir, STATE_FILE));
  const state = file.state as State;
  state.shards ??= {};
  state.pending ??= [];
  state.purges ??= [];
  // Saved before anything is read, so a crash before the first checkpoint still starts from here.
  state.since ??= new Date().toISOString();
  await file.save();
  let stopped = false;

  // --- lanes: one per receiver URL -----------------------------------------------------------
  const wakers = new Map<string, () => void>();
  const lanes = new Map<string, Promise<void>>();
  const wake = (url: string) => wakers.get(url)?.();
  const nap = (url: string, ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(url);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 60_000)));
      wakers.set(url, done);
    });

  const runLane = async (url: string) => {
    while (!stopped) {
      const now = Date.now();
      const mine = state.pending.filter((p) => p.delivery.url === url);
      // The first due delivery in stream order; retries not yet due stay out of the way.
      const next = mine.find((p) => p.dueAt <= now);
      if (!next) {
        await nap(url, mine.length ? Math.min(...mine.map((p) => p.dueAt)) - now : 60_000);
        continue;
      }
      let outcome: Events.Outcome;
      try {
        outcome = await Events.attempt(next.delivery, options);
        // Stopped meanwhile: leave the state as saved; the delivery is attempted again next time.
        if (stopped) return;
      } catch (e) {
        // Not the receiver's fault (the table refused the dead letter): try again shortly.
        log(`  events: ${next.delivery.event.id} → ${url}: ${(e as Error).message}`);
        next.dueAt = Date.now() + 5_000;
        continue;
      }
      state.pending.splice(state.pending.indexOf(next), 1);
      if (outcome.result === "retry") state.pending.push({ delivery: outcome.next, dueAt: outcome.dueAt });
      if (outcome.result === "dead")
        log(
          `  events: ${next.delivery.event.id} → ${url}: dead letter after ${next.delivery.attempt} attempts (${outcome.failure})`,
        );
      await file.save().catch((e: Error) => log(`  events: saving the delivery state failed: ${e.message}`));
    }
  };
  const ensureLane = (url: string) => {
    if (!lanes.has(url)) lanes.set(url, runLane(url));
    wake(url);
  };
  for (const p of state.pending) ensureLane(p.delivery.url);

  // --- the stream ---------------------------------------------------------------------------
  const reader = new StreamReader(
    { endpoint: options.endpoint, region: "us-east-1", credentials, tableName: options.tableName },
    state,
    log,
  );
  const onRecords = async (records: Parameters<Parameters<StreamReader["poll"]>[0]>[0]) => {
    const firstAttemptAt = new Date().toISOString();
    for (const record of records) {
      const payload = Events.eventPayloadOf({
        eventName: record.eventName,
        dynamodb: record.dynamodb as Events.StreamRecord["dynamodb"],
      });
      if (payload === undefined) continue;
      let event: Events.Event;
      try {
        event = Events.fromPayload(payload);
      } catch (e) {
        log(`  events: skipped an unreadable event (${(e as Error).message.slice(0, 120)})`);
        continue;
      }
      const purges = options.purgesUser ?? (() => true);
      if (event.type === "user.deleted" && event.userId && !state.purges.includes(event.userId) && purges(event.userId))
        state.purges.push(event.userId);
      if (event.at < state.since) continue;
      for (const url of options.urls)
        state.pending.push({ delivery: { event, url, attempt: 1, firstAttemptAt }, dueAt: 0 });
    }
  };
  /**
   * The state as last handed to `file.save()` here: a poll or a purge pass that changed nothing
   * writes nothing (each save is a write, an fsync and a rename, and the loop passes every `idleMs`).
   */
  let saved = JSON.stringify(state);
  const saveIfChanged = async () => {
    const now = JSON.stringify(state);
    if (now === saved) return;
    saved = now;
    // A failed write is not a saved state: the next pass writes again.
    await file.save().catch((e: Error) => {
      saved = "";
      throw e;
    });
  };
  /** When each failed purge is tried again: after 1 s, then twice as long each time, at most a minute. */
  const purgeRetries = new Map<string, { at: number; delayMs: number }>();
  /** The purges read so far, each removed from the state once done (a failed one stays, tried again later). */
  const purge = async () => {
    const due = state.purges.filter((userId) => (purgeRetries.get(userId)?.at ?? 0) <= Date.now());
    for (const userId of due) {
      try {
        const removed = await Events.purgeUser(userId);
        state.purges.splice(state.purges.indexOf(userId), 1);
        purgeRetries.delete(userId);
        if (removed > 0) log(`  events: purged ${removed} events of deleted user ${userId}`);
      } catch (e) {
        const delayMs = Math.min(60_000, (purgeRetries.get(userId)?.delayMs ?? 500) * 2);
        purgeRetries.set(userId, { at: Date.now() + delayMs, delayMs });
        log(
          `  events: purging the events of ${userId} failed (retried in ${delayMs / 1000} s): ${(e as Error).message}`,
        );
      }
    }
    await saveIfChanged();
  };
  let waiting: (() => void)[] = [];
  const read = (async () => {
    while (!stopped) {
      let found = -1;
      try {
        found = await reader.poll(onRecords);
        await saveIfChanged();
        await purge();
        for (const url of new Set(state.pending.map((p) => p.delivery.url))) ensureLane(url);
      } catch (e) {
        if (!stopped) log(`  events: reading the stream failed: ${(e as Error).message}`);
      }
      if (found === 0) {
        for (const resolve of waiting) resolve();
        waiting = [];
      }
      if (found <= 0) {
        await sleep(options.idleMs ?? 200);
      }
    }
  })();

  return {
    caughtUp: () => new Promise<void>((resolve) => waiting.push(resolve)),
    stop: async () => {
      stopped = true;
      for (const url of lanes.keys()) wake(url);
      await read;
      // A lane in the middle of an attempt ends with it (at most the timeout); don't wait that long.
      await Promise.race([Promise.all(lanes.values()), sleep(1_000)]);
      await file.save();
    },
  };
};

/**
 * `npm start`'s hook: webhook settings from the environment (`IAM_WEBHOOK_URLS`,
 * `IAM_WEBHOOK_SECRET` — generated once into the data folder when unset, and printed then —,
 * `IAM_WEBHOOK_RETRY_SCHEDULE`, `IAM_WEBHOOK_TIMEOUT_SECONDS`), delivery from the stack's table.
 */
export const startLocalEventDelivery = async (dataDir: string, say: (line: string) => void): Promise<EventDelivery> => {
  const { Config } = await import("@iam/core");
  const { rememberedSecret } = await import("../stack.ts");
  const given = process.env.IAM_WEBHOOK_SECRET;
  const secret = given || (await rememberedSecret(dataDir, "webhook-secret", Events.newSecret));
  const settings = webhookSettings(process.env, secret);
  say(`  Webhooks   ${settings.urls.length ? settings.urls.join(", ") : "none (set IAM_WEBHOOK_URLS)"}`);
  if (!given)
    say(`  Webhook secret ${secret} (kept in ${join(dataDir, "webhook-secret")}; IAM_WEBHOOK_SECRET sets another)`);
  return startEventDelivery({
    ...settings,
    dataDir,
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "",
    tableName: Config.tableName,
    log: say,
  });
};
