import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { Card } from '../src/cds/cds-types.js';
import { hashPasswordSync } from '../src/config/demo.js';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { freePort } from './helpers/smart-harness.js';
import { buildTestConfig, createTestApp, type TestApp } from './helpers/test-app.js';

// The dashboard at /analytics/ in a real browser: an analyst signs in through the embedded
// authorization server (public PKCE client), sees the activity, narrows it with a filter; a
// clinician is refused. The screenshot is kept as an artifact (git-ignored).
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const SERVICE = 'medication-safety-order-sign';
const PASSWORD = 'dashboard-pass';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../hooks/medication-safety/fixtures/not-ok/${name}.json`, import.meta.url), 'utf8'));

describe.runIf(BROWSER_TESTS_ENABLED)('analytics dashboard in Chromium', () => {
  let t: TestApp;
  let ehr: TestEhr;
  let base: string;
  let browser: Browser;

  async function hookCall(name: string): Promise<Card[]> {
    const path = `/cds-services/${SERVICE}`;
    const res = await request(t.server)
      .post(path)
      .set('Authorization', `Bearer ${await ehr.sign(`${base}${path}`)}`)
      .send({ ...fixture(name), hookInstance: randomUUID() })
      .expect(200);
    return res.body.cards as Card[];
  }

  async function override(card: Card): Promise<void> {
    const path = `/cds-services/${SERVICE}/feedback`;
    const item = { card: card.uuid, outcome: 'overridden', overrideReason: { reason: card.overrideReasons?.[0] }, outcomeTimestamp: new Date().toISOString() };
    await request(t.server)
      .post(path)
      .set('Authorization', `Bearer ${await ehr.sign(`${base}${path}`)}`)
      .send({ feedback: [item] })
      .expect(200);
  }

  async function signIn(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${base}/analytics/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/analytics/`);
    expect(failures).toEqual([]);
    return page;
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    ehr = await makeTestEhr();
    const hash = hashPasswordSync(PASSWORD);
    t = await createTestApp(
      buildTestConfig(
        {
          ehrs: [ehr.config()],
          users: [
            { username: 'owner', passwordHash: hash, fhirUser: 'Practitioner/owner', roles: ['analyst'] },
            { username: 'doc', passwordHash: hash, fhirUser: 'Practitioner/doc', roles: ['clinician'] },
          ],
        },
        { publicUrl: base, port },
      ),
    );
    await t.app.listen(port, '127.0.0.1');
    const statin = await hookCall('order-sign-statin-macrolide');
    const allergy = await hookCall('order-sign-drug-allergy');
    await hookCall('order-sign-duplicate-therapy');
    await override(statin[0] as Card);
    await override(allergy[0] as Card);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the analyst signs in, sees services, rules sorted by override rate, the chart and reasons, then filters by rule', async () => {
    const page = await signIn('owner');
    await page.locator('#rules tbody tr').first().waitFor();
    expect(await page.locator('#overview h3').allTextContents()).toEqual([SERVICE]);
    // Sorted by override rate, highest first: the two overridden rules (1 of 1 card each) lead.
    const rules = await page.locator('#rules tbody tr th[scope="row"]').allTextContents();
    expect(rules.slice(0, 2).sort()).toEqual(['drug-allergy', 'onc-hp-ddi-11']);
    expect(rules).toContain('duplicate-therapy');
    expect(await page.locator('#rules thead th[aria-sort="descending"]').textContent()).toBe('Override rate');
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#reasons tbody tr').count()).toBe(2);
    expect(await page.locator('#funnel tbody tr').count()).toBe(3);
    expect(await page.locator('#empty').isHidden()).toBe(true);

    // Keyboard: sorting is a button in the column header.
    await page.locator('#rules thead th[data-key="rule"] button').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#rules thead th[data-key="rule"]').getAttribute('aria-sort')).toBe('descending');

    await page.locator('#f-rule').selectOption('drug-allergy');
    await page.waitForFunction(() => document.querySelectorAll('#rules tbody tr').length === 1);
    expect(await page.locator('#rules tbody tr th[scope="row"]').allTextContents()).toEqual(['drug-allergy']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}analytics-dashboard.png`, fullPage: true });

    // A range without activity says what to do.
    await page.locator('#f-from').fill('2020-01-01');
    await page.locator('#f-to').fill('2020-01-02');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#empty').waitFor();
    expect(await page.locator('#empty').textContent()).toContain('npm run ehr -- activity');
    await page.close();
  }, 90_000);

  it('a clinician signs in and is refused', async () => {
    const page = await signIn('doc');
    await page.locator('#refused').waitFor();
    expect(await page.locator('#refused-title').textContent()).toBe('This account cannot read analytics');
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await page.close();
  }, 90_000);
});
