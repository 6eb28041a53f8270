import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { demoEhr, demoUsers, ensureDemoEhrKey } from '../src/config/demo.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { BROWSER_TESTS_ENABLED, launchChromium } from './helpers/browser.js';
import { freePort } from './helpers/smart-harness.js';
import { buildTestConfig, createTestApp, type TestApp } from './helpers/test-app.js';

// The demo EHR console at `/` (demo configuration only): scenario chart, hook calls signed on the
// server with the demo EHR key over real HTTP, cards rendered as an EHR would, feedback, app links.

/** The app on a loopback port in the demo configuration: the demo EHR key trusted, the console on. */
async function startDemoApp(): Promise<{ t: TestApp; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = join(tmpdir(), `hookwarden-test-console-${port}-${Date.now()}`);
  const key = ensureDemoEhrKey(dataDir);
  const config = buildTestConfig({}, { publicUrl: base, port, dataDir, configPath: undefined, ehrs: [demoEhr(key)], users: demoUsers(), demoEhrKey: key });
  const t = await createTestApp(config);
  await t.app.listen(port, '127.0.0.1');
  return { t, base };
}

describe('demo console API', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => ({ t, base } = await startDemoApp()));
  afterAll(() => t.close());

  it('serves the page with a CSP that allows only its own script, and lists scenario charts and coded drugs', async () => {
    const page = await request(t.server).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/console/assets/console.js');
    await request(t.server).get('/console/assets/console.js').expect(200).expect('content-type', /javascript/);
    await request(t.server).get('/console/assets/..%2Fconsole.service.ts').expect(404);
    const { body } = await request(t.server).get('/console/api/scenarios').expect(200);
    const statin = body.scenarios.find((s: { name: string }) => s.name === 'order-sign-statin-macrolide');
    expect(statin).toMatchObject({
      hook: 'order-sign',
      patient: { id: 'pt-statin-macrolide', name: 'Maria Alvarez' },
      medications: [{ display: 'Simvastatin 40 MG Oral Tablet', code: '198211', kind: 'order' }],
      allergies: [],
      drafts: [{ display: 'Clarithromycin 500 MG Oral Tablet', code: '197517' }],
    });
    expect(body.scenarios.map((s: { hook: string }) => s.hook)).not.toContain('medication-prescribe');
    expect(body.drugs).toContainEqual({ display: 'Clarithromycin 500 MG Oral Tablet', code: '197517' });
  });

  it('signs discovery as the demo EHR, over HTTP to PUBLIC_URL, and shows the request as sent', async () => {
    const { body } = await request(t.server).post('/console/api/ehr').send({ path: '/cds-services' }).expect(200);
    expect(body.request).toMatchObject({ method: 'GET', url: `${base}/cds-services`, jwt: { header: { alg: 'ES384', typ: 'JWT' }, claims: { aud: `${base}/cds-services` } } });
    expect(body.response.status).toBe(200);
    expect(body.response.body.services.map((s: { id: string }) => s.id)).toContain('medication-safety-order-sign');
  });

  it('calls only the CDS endpoints, and only for its own page', async () => {
    for (const path of ['/fhir/Patient', 'https://evil.test/', '/cds-services/../auth/token', '/cds-services/x/y']) {
      await request(t.server).post('/console/api/ehr').send({ path }).expect(400);
    }
    await request(t.server).post('/console/api/ehr').set('Origin', 'https://evil.test').send({ path: '/cds-services' }).expect(403);
    await request(t.server).post('/console/api/ehr').set('Sec-Fetch-Site', 'cross-site').send({ path: '/cds-services' }).expect(403);
    await request(t.server).post('/console/api/ehr').set('Origin', base).set('Sec-Fetch-Site', 'same-origin').send({ path: '/cds-services' }).expect(200);
  });
});

describe('demo console outside the demo configuration', () => {
  it('is not there: / and the console API answer 404', async () => {
    const t = await createTestApp(buildTestConfig());
    try {
      await request(t.server).get('/').expect(404);
      await request(t.server).get('/console/api/scenarios').expect(404);
      await request(t.server).post('/console/api/ehr').send({ path: '/cds-services' }).expect(404);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(BROWSER_TESTS_ENABLED)('demo console in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    ({ t, base } = await startDemoApp());
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openConsole(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    await page.goto(`${base}/`);
    await page.locator('#status').filter({ hasText: /Discovered \d+ services/ }).waitFor();
    return page;
  }

  it('scenario → order-sign → cards → accept a suggestion → feedback stored → the link opens the app', async () => {
    const page = await openConsole();
    await page.selectOption('#scenario', 'order-sign-statin-macrolide');
    expect(await page.locator('#patient-name').textContent()).toBe('Maria Alvarez');
    // Works at 1024 px: nothing wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    expect(await page.locator('#med-list li').allTextContents()).toEqual(['Simvastatin 40 MG Oral Tablet (RxNorm 198211)']);
    expect(await page.locator('#allergy-list li').allTextContents()).toEqual(['None recorded']);

    await page.click('#order-sign');
    const critical = page.locator('article.card.indicator-critical').first();
    await critical.waitFor();
    expect(await critical.locator('h3').textContent()).toMatch(/^criticalClarithromycin \+ simvastatin: contraindicated/);
    expect(await critical.locator('.source').textContent()).toMatch(/^Source: /);
    // The markdown detail is rendered (bold labels, a list), not shown as raw markdown.
    expect(await critical.locator('.detail strong').first().textContent()).toBe('Draft order:');
    expect(await critical.locator('.detail').textContent()).not.toContain('**');
    expect(await critical.locator('.override select option').count()).toBeGreaterThan(0);
    expect(await page.locator('#raw-request').textContent()).toContain(`POST ${base}/cds-services/medication-safety-order-sign`);
    expect(await page.locator('#raw-response').textContent()).toMatch(/^HTTP 200/);

    const uuid = (await critical.getAttribute('data-uuid')) as string;
    const accept = critical.locator('.suggestions button.accept').first();
    const label = (await critical.locator('.suggestion span').first().textContent()) as string;
    // What accepting would do, as the EHR would apply it (the suggestion's actions).
    expect(await critical.locator('.suggestion').first().locator('.actions-list li').allTextContents()).toEqual([expect.stringMatching(/^(create|update|delete): /), expect.stringMatching(/^(create|update|delete): /)]);
    // Keyboard: focus the button and press Enter, as a clinician without a mouse would.
    await accept.focus();
    await page.keyboard.press('Enter');
    await critical.locator('.feedback-status').filter({ hasText: `Accepted: ${label}` }).waitFor();
    expect(await page.locator('#raw-request').textContent()).toContain('/cds-services/medication-safety-order-sign/feedback');
    const rows = await t.app.get<Database>(DATABASE).query<{ outcome: string; accepted_suggestions: { id: string }[]; channel: string }>(
      'SELECT outcome, accepted_suggestions, channel FROM cds_feedback WHERE card_uuid = $1',
      [uuid],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'accepted', channel: 'jwt' });
    expect(rows[0]?.accepted_suggestions).toHaveLength(1);

    const appLink = critical.locator('.links a', { hasText: 'Review medications in Medication Review' });
    expect(await appLink.getAttribute('target')).toBe('_blank');
    const [app] = await Promise.all([page.waitForEvent('popup'), appLink.click()]);
    // The card link is bound to the hook's user: dr.demo signs in once, then the launch continues.
    await app.locator('input[name="username"]').fill('dr.demo');
    await app.locator('input[name="password"]').fill('demo');
    await app.locator('button[type="submit"]', { hasText: 'Sign in' }).click();
    await app.locator('#patient').filter({ hasText: 'Maria Alvarez' }).waitFor();
    expect(new URL(app.url()).pathname).toBe('/apps/medication-review/index.html');
    await page.screenshot({ path: join(tmpdir(), 'demo-console.png'), fullPage: true });
    await app.close();
    await page.close();
  }, 120_000);

  it('orders a free-text drug and records an override with its reason', async () => {
    const page = await openConsole();
    await page.selectOption('#scenario', 'order-sign-statin-macrolide');
    await page.selectOption('#drug', 'text');
    await page.fill('#drug-text', 'herbal sleep tea');
    await page.click('#order-sign');
    const card = page.locator('article.card', { hasText: 'Uncoded medication' });
    await card.waitFor();
    expect(await page.locator('#raw-request').textContent()).toContain('"text": "herbal sleep tea"');
    await card.locator('.override input').fill('discussed with patient');
    await card.locator('.override-button').click();
    await card.locator('.feedback-status').filter({ hasText: /^Overridden: / }).waitFor();
    const rows = await t.app.get<Database>(DATABASE).query<{ outcome: string; override_reason: { userComment?: string } }>(
      'SELECT outcome, override_reason FROM cds_feedback WHERE card_uuid = $1',
      [await card.getAttribute('data-uuid')],
    );
    expect(rows).toEqual([{ outcome: 'overridden', override_reason: expect.objectContaining({ userComment: 'discussed with patient' }) }]);
    await page.close();
  }, 120_000);
});
