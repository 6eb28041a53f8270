import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hashPasswordSync } from '../src/config/demo.js';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';

// The companion app acts on the card (DESIGN.md flow 5) in a real browser: a card link from an order-sign
// call → the app → "keep the order" → refused → the authorization page → the write accepted → the app
// shows the Provenance. Screenshots of each step are kept in test/artifacts/override/ (git-ignored).
const ARTIFACTS = join(import.meta.dirname, 'artifacts', 'override');
const PASSWORD = 'prescriber-pa55';
const APP_SCOPE =
  'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs patient/Provenance.rs patient/DetectedIssue.rs';
const DESKTOP = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };

/** The last screenshot of a flow; no script error on the way. */
async function lastStep(page: Page, failures: string[], shot: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
  expect(failures).toEqual([]);
  await page.close();
}

/** Keeps the order with the first offered reason and waits for the override page. */
async function keepOrder(page: Page): Promise<void> {
  await page.getByLabel('Reason').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Keep the order' }).click();
  await page.waitForURL(/\/auth\/interaction/, { timeout: 30_000 });
}

describe.runIf(BROWSER_TESTS_ENABLED)('companion app: keep the order through the step-up override, or take the safer alternative (Chromium)', () => {
  let live: LiveCardApp;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    live = await startLiveCardApp(APP_SCOPE, {
      writableTypes: ['MedicationRequest'],
      file: { users: [{ username: 'dr.prescriber', passwordHash: hashPasswordSync(PASSWORD), fhirUser: 'Practitioner/demo-practitioner', roles: ['clinician'] }] },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.t.close();
  });

  /** Clicks the app link of the fixture's first card at `viewport`; waits for the review and its choices. */
  async function openCard(fixture: string, viewport: { width: number; height: number }, shot: string): Promise<{ page: Page; failures: string[] }> {
    const page = await browser.newPage({ viewport });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(await live.cardAppLink(notOkFixture(fixture)));
    // The link launches only for the hook's user (links.userBinding): this fresh browser signs in once.
    await page.getByLabel('User name').fill('dr.prescriber');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#decide').waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, `${shot}-1-review.png`), fullPage: true });
    return { page, failures };
  }

  it('reauthenticate (drug allergy, 1024 px): wrong password refused, right one accepted, the Provenance shown', async () => {
    const { page, failures } = await openCard('order-sign-drug-allergy', DESKTOP, 'reauthenticate');
    expect(await page.locator('#banner-name').textContent()).toBe('Tyrone Brown');
    expect(await page.locator('#decide-order').textContent()).toBe('Ibuprofen 800 MG Oral Tablet (RxNorm 197807) — 800 mg by mouth three times daily with food for 5 days');
    await keepOrder(page);
    expect(await page.locator('h1').textContent()).toBe('Re-enter your password to override');
    expect(await page.locator('dl').textContent()).toContain('Tyrone Brown');
    expect(await page.locator('dl').textContent()).toContain('The patient has an active allergy to ibuprofen, which this order contains.');
    await page.screenshot({ path: join(ARTIFACTS, 'reauthenticate-2-password.png'), fullPage: true });

    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Authorize this action' }).click();
    await page.locator('[role=alert]').waitFor();
    expect(await page.locator('[role=alert]').textContent()).toBe('That password is not right. Try again, or cancel.');
    await page.screenshot({ path: join(ARTIFACTS, 'reauthenticate-3-wrong-password.png'), fullPage: true });

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Authorize this action' }).click();
    await page.locator('#provenance dd').first().waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/apps/medication-review/index.html');
    expect(await page.locator('#outcome-text').textContent()).toMatch(/^Kept: Ibuprofen 800 MG Oral Tablet \(RxNorm 197807\), reason “/);
    expect(await page.locator('#provenance dd').allTextContents()).toEqual(
      expect.arrayContaining(['Authorized with your password', 'Practitioner/demo-practitioner', 'The patient has an active allergy to ibuprofen, which this order contains.']),
    );
    await lastStep(page, failures, 'reauthenticate-4-recorded');
  }, 120_000);

  it('confirm (uncoded order, phone): one click authorizes it, the Provenance shown', async () => {
    const { page, failures } = await openCard('order-sign-uncoded-medication', PHONE, 'confirm');
    await keepOrder(page);
    expect(await page.locator('h1').textContent()).toBe('Confirm the override');
    expect(await page.getByLabel('Password').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'confirm-2-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Authorize this action' }).click();
    await page.locator('#provenance dd').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('#provenance dd').first().textContent()).toBe('Confirmed by you');
    // Nothing is wider than the phone: the layout reflows instead of scrolling sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await lastStep(page, failures, 'confirm-3-recorded');
  }, 120_000);

  it('the safer alternative from the card’s suggestion is ordered without any override', async () => {
    const { page, failures } = await openCard('order-sign-statin-macrolide', DESKTOP, 'alternative');
    expect(await page.locator('#alternative-label').textContent()).toMatch(/^Replace Clarithromycin 500 MG Oral Tablet with azithromycin/);
    await page.getByRole('button', { name: 'Order the alternative' }).click();
    await page.locator('#outcome:not([hidden])').waitFor({ timeout: 30_000 });
    expect(await page.locator('#outcome-text').textContent()).toMatch(/^Ordered instead: azithromycin/i);
    expect(new URL(page.url()).pathname).toBe('/apps/medication-review/index.html');
    await lastStep(page, failures, 'alternative-2-ordered');
  }, 120_000);
});
