import { Resource } from "sst/resource";

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
  /** Brute-force lockout: this many failed logins of one account within the window lock it for the window. */
  get lockout(): { maxFailures: number; windowSeconds: number } {
    const positive = (v: string | undefined, fallback: number) => (Number(v) > 0 ? Number(v) : fallback);
    return {
      maxFailures: positive(process.env.IAM_LOCKOUT_MAX_FAILURES, 5),
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
  get bootstrapApiKey(): string {
    return Resource.IamApiKey.value;
  },
};
