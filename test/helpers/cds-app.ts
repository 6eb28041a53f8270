import request from 'supertest';
import { CDS_SERVICES } from '../../src/cds/cds-services.token.js';
import type { ServiceDefinition } from '../../src/cds/cds-types.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { makeTestEhr, type TestEhr } from './ehr-jwt.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './test-app.js';

/** Boots the real AppModule serving `services` instead of hooks/index.ts. */
export function createCdsTestApp(config: AppConfig, services: ServiceDefinition[]): Promise<TestApp> {
  return createTestApp(config, { customize: (b) => b.overrideProvider(CDS_SERVICES).useValue(services) });
}

/** A CDS test app trusting one test EHR, plus helpers that call it the way an EHR does (JWT with `aud` = the URL). */
export interface CdsTestClient {
  t: TestApp;
  ehr: TestEhr;
  get(path: string): Promise<request.Response>;
  post(path: string, body: unknown): Promise<request.Response>;
}

/** Boots a CDS test app trusting `ehr` (default: a new one); `file` is merged into the config file part. */
export async function startCdsTest(
  services: ServiceDefinition[],
  opts: { file?: Record<string, unknown>; env?: Partial<AppConfig>; ehr?: TestEhr } = {},
): Promise<CdsTestClient> {
  const { file = {}, env = {} } = opts;
  const ehr = opts.ehr ?? (await makeTestEhr());
  const t = await createCdsTestApp(buildTestConfig({ ehrs: [ehr.config()], ...file }, env), services);
  const auth = async (path: string) => `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`;
  return {
    t,
    ehr,
    get: async (path) => request(t.server).get(path).set('Authorization', await auth(path)),
    post: async (path, body) =>
      request(t.server).post(path).set('Authorization', await auth(path)).set('Content-Type', 'application/json').send(body as object),
  };
}
