import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { DEMO_EHR_ISSUER } from '../src/config/demo.js';
import { renderCards } from './ehr/ehr-client.js';
import { runSimulator } from './ehr/ehr-simulator.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const draftOrders = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: { resourceType: 'MedicationRequest', id: 'draft-1', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' } } }],
};
const emptySearch = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };

describe('EHR simulator in demo mode (npm run ehr)', () => {
  let t: TestApp;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let out: string[];
  const print = (line: string) => out.push(line);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookwarden-ehr-sim-'));
    const port = await freePort();
    const scenarios = join(dir, 'scenarios', 'ok');
    mkdirSync(scenarios, { recursive: true });
    writeFileSync(
      join(scenarios, 'sign-uncoded-order.json'),
      JSON.stringify({
        hook: 'order-sign',
        hookInstance: '3f8a1c56-8f0e-4f0c-9d1c-6b2b9c1f7a10',
        context: { userId: 'Practitioner/u1', patientId: 'p1', draftOrders },
        prefetch: { patient: { resourceType: 'Patient', id: 'p1' }, medicationRequests: emptySearch, allergyIntolerances: emptySearch },
      }),
    );
    // Demo mode exactly as `npm start` on a fresh machine: no config file, demo EHR key generated in DATA_DIR.
    env = { DATA_DIR: join(dir, 'data'), PUBLIC_URL: `http://127.0.0.1:${port}`, EHR_SCENARIO_DIR: join(dir, 'scenarios') };
    const { config } = loadConfig({ DATA_DIR: env.DATA_DIR, PUBLIC_URL: env.PUBLIC_URL, PORT: String(port) }, dir);
    t = await createTestApp(config);
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = [];
  });

  it('demo mode trusts the demo EHR whose key the simulator reads', () => {
    expect(t.config.ehrs.map((e) => e.issuer)).toContain(DEMO_EHR_ISSUER);
  });

  it('lists the scenarios found under the fixtures folder', async () => {
    expect(await runSimulator(['list'], env, print)).toBe(0);
    expect(out.join('\n')).toBe('sign-uncoded-order');
  });

  it('discovers the services with an ES384 JWT whose aud is the discovery URL', async () => {
    expect(await runSimulator(['discovery'], env, print)).toBe(0);
    expect(out.join('\n')).toContain('medication-safety-order-sign  (hook order-sign)');
  });

  it('sends a scenario to the service for its hook, authenticated as the demo EHR', async () => {
    await runSimulator(['sign-uncoded-order'], env, print);
    expect(out[0]).toMatch(/^sign-uncoded-order -> medication-safety-order-sign: HTTP \d+$/);
    expect(out[0]).not.toMatch(/HTTP 401$/);
  });

  it('refuses to sign without the demo key in DATA_DIR', async () => {
    await expect(runSimulator(['discovery'], { ...env, DATA_DIR: join(dir, 'elsewhere') }, print)).rejects.toThrow('demo-ehr-key.json not found');
  });

  it('renders cards readably', () => {
    const text = renderCards({
      cards: [
        {
          summary: 'Warfarin + ibuprofen: bleeding risk',
          indicator: 'critical',
          source: { label: 'Hookwarden medication safety' },
          detail: 'Line one\nLine two',
          suggestions: [{ label: 'Cancel ibuprofen' }],
          links: [{ label: 'Review', url: 'https://x/launch', type: 'smart' }],
        },
      ],
    });
    expect(text).toBe(
      [
        '!! 1. [CRITICAL] Warfarin + ibuprofen: bleeding risk',
        '      source: Hookwarden medication safety',
        '      Line one',
        '      Line two',
        '      suggestion: Cancel ibuprofen',
        '      link (smart): Review -> https://x/launch',
      ].join('\n'),
    );
    expect(renderCards({ cards: [] })).toBe('(no cards)');
  });
});
