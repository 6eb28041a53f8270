import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { BUNDLED_APP_SCOPE, notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';

// The bundled medication-review app really works in a browser: a clinician clicks the card's app link
// and lands on the review page of the hook's patient (DESIGN.md flow 2), over real HTTP.
const SCREENSHOT = join(tmpdir(), 'card-launch.png');

describe.runIf(BROWSER_TESTS_ENABLED)('card link opened in Chromium launches the bundled medication-review app', () => {
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

  async function openCard(fixture: string, screenshot?: string): Promise<{ page: Page; text(list: string): Promise<string[]> }> {
    const opened = await openCardIn(browser, live, fixture, screenshot);
    expect(await opened.page.locator('#status').textContent()).toBe('');
    return opened;
  }

  it('statin + macrolide: shows the draft clarithromycin and the active simvastatin with their doses, and no allergies recorded', async () => {
    const { page, text } = await openCard('order-sign-statin-macrolide', SCREENSHOT);
    expect(await page.locator('#patient').textContent()).toBe('Maria Alvarez');
    // The card's summary arrives as appContext and tells the clinician why the app opened.
    expect(await page.locator('#app-context').textContent()).toMatch(/^Clarithromycin \+ simvastatin: contraindicated/);
    expect(await text('draft-list')).toEqual(['Clarithromycin 500 MG Oral Tablet (RxNorm 197517) — 500 mg by mouth twice daily for 7 days']);
    expect(await text('med-list')).toEqual(['Simvastatin 40 MG Oral Tablet (RxNorm 198211) — 40 mg by mouth at bedtime']);
    expect(await text('allergy-list')).toEqual(['No allergies recorded']);
    await page.close();
  }, 90_000);

  it('ramelteon + fluvoxamine: lists the patient-reported fluvoxamine (a MedicationStatement) the alert is about', async () => {
    const { page, text } = await openCard('order-sign-ramelteon-fluvoxamine', join(tmpdir(), 'card-launch-statement.png'));
    expect(await text('med-list')).toEqual(['fluvoxamine (RxNorm 42355) — 100 mg by mouth at bedtime (patient-reported)reported']);
    await page.close();
  }, 90_000);

  it('drug allergy: lists the recorded ibuprofen allergy with its reaction', async () => {
    const { page, text } = await openCard('order-sign-drug-allergy');
    expect(await text('allergy-list')).toEqual(['ibuprofen — Urticaria and facial swelling']);
    await page.close();
  }, 90_000);
});

describe.runIf(BROWSER_TESTS_ENABLED)('the bundled app when the server grants less than it asks for', () => {
  let live: LiveCardApp;
  let browser: Browser;
  beforeAll(async () => {
    live = await startLiveCardApp(BUNDLED_APP_SCOPE.replace(' patient/AllergyIntolerance.rs', ''));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.t.close();
  });

  it('says the allergy read failed instead of showing an empty allergy list, and still lists the medications', async () => {
    const { page, text } = await openCardIn(browser, live, 'order-sign-drug-allergy');
    await expect(page.locator('#status.error').textContent()).resolves.toBe('Could not read AllergyIntolerance (HTTP 403): the lists below may be incomplete.');
    expect(await page.locator('#allergies').isHidden()).toBe(true);
    expect(await text('draft-list')).toEqual(['Ibuprofen 800 MG Oral Tablet (RxNorm 197807) — 800 mg by mouth three times daily with food for 5 days']);
    await page.close();
  }, 90_000);
});

/** Clicks the app link of the fixture's first card and waits until the app shows its lists or an error. */
async function openCardIn(browser: Browser, live: LiveCardApp, fixture: string, screenshot?: string): Promise<{ page: Page; text(list: string): Promise<string[]> }> {
  const link = await live.cardAppLink(notOkFixture(fixture));
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (e) => failures.push(e.message));
  await page.goto(link);
  await page.waitForFunction(() => document.querySelector('#status.error') || document.querySelector('#allergy-list li'), undefined, { timeout: 30_000 });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  expect(new URL(page.url()).pathname).toBe('/apps/medication-review/index.html');
  expect(failures).toEqual([]);
  return { page, text: (list) => page.locator(`#${list} li`).allTextContents() };
}
