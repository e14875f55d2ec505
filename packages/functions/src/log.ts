import pino from "pino";

/** JSON lines on stdout (CloudWatch in Lambda). Secrets are redacted wherever they appear. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  redact: {
    paths: ["password", "*.password", "*.newPassword", "*.currentPassword", "*.refreshToken", "*.accessToken", "*.idToken", "*.token", "apiKey", "authorization"],
    censor: "[redacted]",
  },
});
