import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The distribution Chromium (apt `chromium`); CI installs it, playwright-core drives it. */
const CHROMIUM = '/usr/bin/chromium';

/** Whether browser tests run: always in CI (a missing Chromium must fail there), locally only when installed. */
export const BROWSER_TESTS_ENABLED = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** A headless Chromium that makes no network calls of its own (only the test's loopback traffic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
