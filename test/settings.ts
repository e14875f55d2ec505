/** Service tunables for the test run: the app in global setup and in-process apps in workers read the same. */
export const TEST_SETTINGS = {
  // A short lockout window, so a test can wait it out.
  IAM_LOCKOUT_MAX_FAILURES: "5",
  IAM_LOCKOUT_WINDOW_SECONDS: "4",
  // A low account-wide ceiling (2 addresses' worth of failures), so a test can reach it inside the window.
  IAM_LOCKOUT_ACCOUNT_MAX_FAILURES: "10",
  // The emulators under the suite's parallel load answer far slower than AWS; the default 4 s
  // budget is proven by test/fault-stall.test.ts, which runs its app without this.
  IAM_REQUEST_DEADLINE_MS: "15000",
  IAM_CORS_ORIGINS: "https://app.example.com,http://localhost:5173",
  // EventBridge and SQS have no emulator here: their clients point at a closed local port, and the
  // tests that use them answer at the HTTP layer (fakeEventBridge, fakeSqs in test/support/aws-faults.ts).
  AWS_ENDPOINT_URL_EVENTBRIDGE: "http://127.0.0.1:9/",
  AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9/",
};
