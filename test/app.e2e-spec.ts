import request from 'supertest';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

describe('AppModule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('boots on PGlite and answers unknown routes with 404', async () => {
    await request(t.server).get('/nope').expect(404);
  });

  it('serves the app the medication-safety definition ships and registers it as the SMART client its cards launch', async () => {
    const res = await request(t.server).get('/apps/medication-review/launch.html').expect(200).expect('Content-Type', /html/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await request(t.server).get('/apps/medication-review/').expect(404);
    const client = t.app.get<AppConfig>(APP_CONFIG).smartClients.find((c) => c.clientId === 'medication-review');
    expect(client).toMatchObject({
      launchUrl: `${TEST_PUBLIC_URL}/apps/medication-review/launch.html`,
      redirectUris: [`${TEST_PUBLIC_URL}/apps/medication-review/index.html`],
      auth: 'none',
      writableTypes: ['MedicationRequest'],
    });
  });

  it('keeps the operator registration of medication-review, and still serves the bundled files', async () => {
    const hosted = { clientId: 'medication-review', name: 'Hosted', launchUrl: 'https://apps.example.org/launch', redirectUris: ['https://apps.example.org/cb'], scope: 'launch openid' };
    const own = await createTestApp(buildTestConfig({ smartClients: [hosted] }));
    try {
      const clients = own.app.get<AppConfig>(APP_CONFIG).smartClients.filter((c) => c.clientId === 'medication-review');
      expect(clients).toEqual([expect.objectContaining({ name: 'Hosted', launchUrl: 'https://apps.example.org/launch' })]);
      await request(own.server).get('/apps/medication-review/index.html').expect(200);
    } finally {
      await own.close();
    }
  });
});
