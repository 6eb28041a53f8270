import { buildTestConfig, TEST_PUBLIC_URL } from './helpers/test-app.js';
import { createEhrAuthTestApp, PROBE_PATH, raceSameJwt } from './helpers/ehr-auth-app.js';
import { makeTestEhr } from './helpers/ehr-jwt.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';

// N6 across real instances: two applications, each with its own connection pool, on one PostgreSQL database.
describe.runIf(TEST_PG_URL)('jti single use across instances on PostgreSQL', () => {
  it('N6 the same jti sent concurrently to two instances succeeds exactly once', async () => {
    const ehr = await makeTestEhr();
    const config = buildTestConfig({ ehrs: [ehr.config()] }, { databaseUrl: await freshPostgresDatabase('ehr_jti') });
    const [one, two] = await Promise.all([createEhrAuthTestApp(config), createEhrAuthTestApp(config)]);
    try {
      const path = `${PROBE_PATH}/medication-safety`;
      for (let i = 0; i < 10; i++) {
        const statuses = await raceSameJwt([one.server, two.server], path, await ehr.sign(`${TEST_PUBLIC_URL}${path}`));
        expect(statuses.sort()).toEqual([201, 401]);
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
