import type { Browser } from 'playwright-core';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';

// Issue 6: the bundled medication-review app really works in a browser — a clinician clicks the card's
// app link and lands on the review page of the hook's patient (DESIGN.md flow 2), over real HTTP.
const FIXTURE = notOkFixture('order-sign-statin-macrolide');
const SCREENSHOT = '/tmp/card-launch.png';

describe.runIf(BROWSER_TESTS_ENABLED)('card link opened in Chromium launches the bundled medication-review app (issue 6)', () => {
  let live: LiveCardApp;
  let browser: Browser;
  beforeAll(async () => {
    live = await startLiveCardApp();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.t.close();
  });

  it('shows the draft clarithromycin and the active simvastatin of the hook patient, and no error', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(link);
    // The app ends on index.html with the lists filled in, or with an error in #status.
    await page.waitForFunction(() => document.querySelector('#med-list li') || document.querySelector('#status.error'), undefined, { timeout: 30_000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(new URL(page.url()).pathname).toBe('/apps/medication-review/index.html');
    expect(await page.locator('#status.error').count()).toBe(0);
    expect(failures).toEqual([]);
    await expect(page.locator('#draft-list li').allTextContents()).resolves.toEqual(['Clarithromycin 500 MG Oral Tablet (RxNorm 197517)']);
    await expect(page.locator('#med-list li').allTextContents()).resolves.toEqual(['Simvastatin 40 MG Oral Tablet (RxNorm 198211)']);
    await page.close();
  }, 90_000);
});
