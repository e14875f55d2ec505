import { Resource } from "sst/resource";

/** The bootstrap key holds every scope: a short one could be guessed, so it is refused. */
export const MIN_BOOTSTRAP_KEY_LENGTH = 32;

/**
 * The one-line refusal of a weak bootstrap key, with a command that makes a strong one. Also used
 * by the local stack (`npm start`), so both say the same.
 */
export const weakBootstrapKey = (key: string): string | undefined =>
  key.length >= MIN_BOOTSTRAP_KEY_LENGTH
    ? undefined
    : `The bootstrap API key (IamApiKey secret, IAM_API_KEY locally) must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters; make one with: node -e "console.log('iam_' + require('crypto').randomBytes(32).toString('base64url'))"`;

/**
 * Everything the service needs to know about its environment, read through SST's `Resource`
 * (linked resources in Lambda, `SST_RESOURCE_*` variables set by the local stack). The AWS SDK
 * reads its own endpoint overrides (`AWS_ENDPOINT_URL_*`) and region; nothing here knows
 * whether it runs on AWS or against emulators.
 */
export const Config = {
  get tableName(): string {
    return Resource.Table.name;
  },
  get bucketName(): string {
    return Resource.Assets.name;
  },
  /** Base URL under which the assets bucket's public objects are served (no trailing slash). */
  get assetsBaseUrl(): string {
    return Resource.AssetsUrl.url.replace(/\/+$/, "");
  },
  get auth(): { userPoolId: string; clientId: string; issuer: string } {
    const { userPoolId, clientId, issuer } = Resource.Auth;
    return { userPoolId, clientId, issuer };
  },
  /** Lifetime of an activation code (a tunable, not a resource: a plain function environment variable). */
  get activationTtlSeconds(): number {
    const value = Number(process.env.IAM_ACTIVATION_TTL_SECONDS);
    return Number.isFinite(value) && value > 0 ? value : 72 * 3600;
  },
  /**
   * Brute-force lockout: `maxFailures` failed logins of one account from one client address within
   * the window lock that address out of that account for the rest of the window;
   * `accountMaxFailures` from all addresses together (default 20 × `maxFailures`) lock every address.
   */
  get lockout(): { maxFailures: number; accountMaxFailures: number; windowSeconds: number } {
    const positive = (v: string | undefined, fallback: number) => (Number(v) > 0 ? Math.floor(Number(v)) : fallback);
    const maxFailures = positive(process.env.IAM_LOCKOUT_MAX_FAILURES, 5);
    return {
      maxFailures,
      accountMaxFailures: positive(process.env.IAM_LOCKOUT_ACCOUNT_MAX_FAILURES, 20 * maxFailures),
      windowSeconds: positive(process.env.IAM_LOCKOUT_WINDOW_SECONDS, 15 * 60),
    };
  },
  /** Browser origins allowed to call `/public/*` and `/trpc` (CORS); comma-separated `IAM_CORS_ORIGINS`. */
  get corsOrigins(): string[] {
    return (process.env.IAM_CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
  },
  /**
   * The time budget of one API request for all its dependency calls (core/deadline.ts): a stalled
   * dependency costs a caller this, then a 503. Default 4 s (under the 5 s promise, well under the
   * Lambda's 20 s); `IAM_REQUEST_DEADLINE_MS` changes it (the test suite raises it: its parallel
   * load makes the emulators far slower than AWS).
   */
  get requestDeadlineMs(): number {
    const value = Number(process.env.IAM_REQUEST_DEADLINE_MS);
    return Number.isFinite(value) && value > 0 ? value : 4_000;
  },
  /** Refused (an error naming the fix) when shorter than 32 characters: it holds every scope. */
  get bootstrapApiKey(): string {
    const key = Resource.IamApiKey.value;
    const weak = weakBootstrapKey(key);
    if (weak) throw new Error(weak);
    return key;
  },
  /** Key of the directory cursor's MAC: a secret of its own, so a cursor tells nothing about any other. */
  get cursorSecret(): string {
    return Resource.IamCursorSecret.value;
  },
  /** Key of the MAC that API key ids carry, checked before any lookup (apikey/index.ts). */
  get keyIdSecret(): string {
    return Resource.IamKeyIdSecret.value;
  },
  /** How long events are kept (their TTL): `IAM_EVENT_RETENTION_DAYS`, default 400 days. */
  get eventRetentionDays(): number {
    const value = Number(process.env.IAM_EVENT_RETENTION_DAYS);
    return Number.isFinite(value) && value > 0 ? value : 400;
  },
  /** The EventBridge bus the stream publisher puts events on (infra/events.ts). */
  get eventBusName(): string {
    return Resource.EventBus.name;
  },
  /**
   * Where and how the webhook sender delivers (infra/events.ts): the receivers' URLs
   * (`IamWebhookUrls`, comma-separated; empty for none) and the `whsec_…` signing secret
   * (`IamWebhookSecret`), both SST secrets; the queue it puts retries on.
   */
  get webhooks(): { urls: string[]; secret: string; retryQueueUrl: string } {
    return {
      urls: parseWebhookUrls(Resource.IamWebhookUrls.value),
      secret: Resource.IamWebhookSecret.value,
      retryQueueUrl: Resource.WebhookQueue.url,
    };
  },
  /**
   * Seconds to wait before each retry of a failed webhook delivery (`IAM_WEBHOOK_RETRY_SCHEDULE`,
   * comma-separated): one retry per entry, then a dead letter. The default spreads 8 retries over
   * about 10 hours, so a receiver down for an afternoon loses nothing.
   */
  get webhookRetrySchedule(): number[] {
    return (
      parseRetrySchedule(process.env.IAM_WEBHOOK_RETRY_SCHEDULE) ?? [5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]
    );
  },
  /** How long one delivery attempt may take before it counts as failed (`IAM_WEBHOOK_TIMEOUT_SECONDS`, default 10). */
  get webhookTimeoutSeconds(): number {
    const value = Number(process.env.IAM_WEBHOOK_TIMEOUT_SECONDS);
    return Number.isFinite(value) && value > 0 ? value : 10;
  },
};

/** `IAM_WEBHOOK_URLS` / `IamWebhookUrls`: comma-separated http(s) URLs; anything else is refused by name. */
export const parseWebhookUrls = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean)
    .map((u) => {
      const url = URL.canParse(u) ? new URL(u) : undefined;
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
        throw new Error(`Not an http(s) webhook URL: ${u}`);
      return url.href;
    });

/** A retry schedule, `"1,5,30"` (seconds); undefined when unset, an error naming the value when malformed. */
export const parseRetrySchedule = (value: string | undefined): number[] | undefined => {
  if (value === undefined || value.trim() === "") return undefined;
  const steps = value.split(",").map((s) => Number(s.trim()));
  if (steps.some((s) => !Number.isFinite(s) || s < 0))
    throw new Error(`Not a retry schedule (comma-separated seconds): ${value}`);
  return steps;
};
