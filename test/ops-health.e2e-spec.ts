import request from 'supertest';
import { DATABASE, type Database } from '../src/store/database.js';
import { listMigrations } from '../src/store/migrate.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('/healthz and /readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    return () => t.close();
  });

  it('/healthz: 200 while the process answers', async () => {
    const res = await request(t.server).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('/readyz: 200 when the database answers, every migration is applied and the signing keys are loaded', async () => {
    const res = await request(t.server).get('/readyz').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', kind: 'pglite' }, migrations: { status: 'up' }, signingKeys: { status: 'up' } },
      error: {},
    });
  });

  it('/readyz: 503 naming the pending migration when the schema lags the code', async () => {
    const db = t.app.get<Database>(DATABASE);
    const last = listMigrations().at(-1)!.version;
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [last]);
    try {
      const res = await request(t.server).get('/readyz').expect(503);
      expect(res.body).toMatchObject({ status: 'error', error: { migrations: { status: 'down', pending: [last] } }, info: { database: { status: 'up' } } });
    } finally {
      await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [last]);
    }
    await request(t.server).get('/readyz').expect(200);
  });
});
