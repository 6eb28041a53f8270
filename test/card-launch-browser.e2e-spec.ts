import type { Browser, Page } from 'playwright-core';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';

// Issue 6: the bundled medication-review app really works in a browser — a clinician clicks the card's
// app link and lands on the review page of the hook's patient (DESIGN.md flow 2), over real HTTP.
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

  /** Clicks the app link of the fixture's first card and waits until the app shows data or an error. */
  async function openCard(fixture: string, screenshot?: string): Promise<{ page: Page; text(list: string): Promise<string[]> }> {
    const link = await live.cardAppLink(notOkFixture(fixture));
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(link);
    await page.waitForFunction(() => document.querySelector('#status.error') || document.querySelector('#allergy-list li'), undefined, { timeout: 30_000 });
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    expect(new URL(page.url()).pathname).toBe('/apps/medication-review/index.html');
    expect(await page.locator('#status').textContent()).toBe('');
    expect(failures).toEqual([]);
    return { page, text: (list) => page.locator(`#${list} li`).allTextContents() };
  }

  it('statin + macrolide: shows the draft clarithromycin and the active simvastatin with their doses, and no allergies recorded', async () => {
    const { page, text } = await openCard('order-sign-statin-macrolide', SCREENSHOT);
    expect(await page.locator('#patient').textContent()).toBe('Maria Alvarez');
    expect(await text('draft-list')).toEqual(['Clarithromycin 500 MG Oral Tablet (RxNorm 197517) — 500 mg by mouth twice daily for 7 days']);
    expect(await text('med-list')).toEqual(['Simvastatin 40 MG Oral Tablet (RxNorm 198211) — 40 mg by mouth at bedtime']);
    expect(await text('allergy-list')).toEqual(['No allergies recorded']);
    await page.close();
  }, 90_000);

  it('ramelteon + fluvoxamine: lists the patient-reported fluvoxamine (a MedicationStatement) the alert is about', async () => {
    const { page, text } = await openCard('order-sign-ramelteon-fluvoxamine', '/tmp/card-launch-statement.png');
    expect(await text('med-list')).toEqual(['fluvoxamine (RxNorm 42355) — 100 mg by mouth at bedtime (patient-reported)reported']);
    await page.close();
  }, 90_000);

  it('drug allergy: lists the recorded ibuprofen allergy with its reaction', async () => {
    const { page, text } = await openCard('order-sign-drug-allergy');
    expect(await text('allergy-list')).toEqual(['ibuprofen — Urticaria and facial swelling']);
    await page.close();
  }, 90_000);
});
