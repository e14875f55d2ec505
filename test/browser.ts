import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's headless Chromium for the browser tests (playwright-core drives it; nothing is
 * downloaded). A developer machine may lack it (`npm test` needs only Node and Java there): the
 * browser tests are then skipped with a note. In CI (`CI` set; .ci/run installs Chromium) a missing
 * browser fails.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const canRunBrowser = (file: string): boolean => {
  const run = existsSync(CHROMIUM) || Boolean(process.env.CI);
  if (!run)
    console.warn(`${file} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return run;
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
