import { findUser } from "../adapters/cognito.ts";
import { listNothingUnder } from "../adapters/s3.ts";
import { UPLOADS_PREFIX } from "../assets/prefixes.ts";
import { withDeadline } from "../deadline.ts";
import { db } from "../dynamo/service.ts";

export type Check = { status: "up" | "down"; latencyMs: number; error?: string };
export type Readiness = {
  status: "ready" | "unavailable";
  checkedAt: string;
  dependencies: Record<"dynamodb" | "cognito" | "s3", Check>;
};

/** A dependency slower than this counts as down for readiness. */
const CHECK_DEADLINE_MS = 2_000;

/** The cheapest call each dependency answers, with the permissions the service already has. */
const probes = {
  // One GetItem of a key that never exists.
  dynamodb: () => db().entities.user.get({ id: "readiness-probe" }).go(),
  // AdminGetUser of a user that never exists: "no such user" is an answer.
  cognito: () => findUser("readiness-probe@invalid"),
  // A listing of no keys under a prefix the service lists anyway (HeadBucket needs more rights).
  s3: () => listNothingUnder(UPLOADS_PREFIX),
};

const check = async (probe: () => Promise<unknown>): Promise<Check> => {
  const started = performance.now();
  try {
    await withDeadline(CHECK_DEADLINE_MS, probe);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: (e as Error).name };
  }
};

/**
 * Readiness: each dependency's status and latency, checked in parallel. The result is kept for
 * `cacheMs` and concurrent probes share one check, so load balancers and monitors polling it
 * cannot spend Cognito's request quota. (`/health` stays a liveness check that calls nothing.)
 */
export const readiness = ({ cacheMs = 5_000 }: { cacheMs?: number } = {}) => {
  let last: { at: number; result: Promise<Readiness> } | undefined;
  const run = async (): Promise<Readiness> => {
    const [dynamodb, cognitoCheck, s3Check] = await Promise.all([
      check(probes.dynamodb),
      check(probes.cognito),
      check(probes.s3),
    ]);
    const dependencies = { dynamodb, cognito: cognitoCheck, s3: s3Check };
    const down = Object.values(dependencies).some((c) => c.status === "down");
    return { status: down ? "unavailable" : "ready", checkedAt: new Date().toISOString(), dependencies };
  };
  return (): Promise<Readiness> => {
    if (!last || Date.now() - last.at >= cacheMs) last = { at: Date.now(), result: run() };
    return last.result;
  };
};
