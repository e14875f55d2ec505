/** Service tunables for the test run: the app in global setup and in-process apps in workers read the same. */
export const TEST_SETTINGS = {
  // A short lockout window, so a test can wait it out.
  IAM_LOCKOUT_MAX_FAILURES: "5",
  IAM_LOCKOUT_WINDOW_SECONDS: "4",
  IAM_CORS_ORIGINS: "https://app.example.com,http://localhost:5173",
};
