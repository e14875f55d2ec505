import pino from "pino";

/** Where log lines go: anything with `write(line)`. Lambda's default is stdout (CloudWatch). */
export type LogDestination = { write: (line: string) => unknown };

/**
 * Keys whose values never reach a log line, wherever they sit (top level, one or two levels down,
 * or as a header). Request bodies and URLs are not logged at all; this is the second line of defence.
 */
const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "accessToken",
  "idToken",
  "refreshToken",
  "token",
  "apiKey",
  "activationCode",
  "resetCode",
  "authorization",
  "cookie",
  '["x-api-key"]',
];
const at = (prefix: string, k: string) => (k.startsWith("[") ? `${prefix}${k}` : `${prefix}.${k}`);
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, at("*", k), at("*.*", k)]);

let destination: LogDestination = pino.destination({ dest: 1, sync: true });

/** Pino writes here and this forwards to the current destination, so tests can capture lines. */
const forward: LogDestination = { write: (line) => destination.write(line) };

/** JSON lines, one per event, with secrets redacted. */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  },
  forward,
);

/** Sends log lines to `dest` (e.g. a test's capture) until the returned function is called. */
export const setLogDestination = (dest: LogDestination): (() => void) => {
  const previous = destination;
  destination = dest;
  return () => {
    destination = previous;
  };
};
