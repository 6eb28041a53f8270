import { onTelemetry } from '../src/http/telemetry.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, orderSelectService } from './fixtures/cds/services.js';
import { startCdsTest, type CdsTestClient } from './helpers/cds-app.js';

describe('group commit on the hook path', () => {
  let c: CdsTestClient;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices);
  });
  afterAll(() => c.t.close());

  // How many rows share a statement depends on how the calls overlap, which a loaded machine decides;
  // the coalescing itself is pinned deterministically in src/store/group-commit.spec.ts.
  it('N6 concurrent calls go through the batched jti and invocation statements, and every answered card is stored when its response arrives', async () => {
    const sizes: Record<string, number[]> = {};
    const stop = onTelemetry('store.batch', (e) => void (sizes[e.table] ??= []).push(e.size));
    const calls = 12;
    const responses = await Promise.all(Array.from({ length: calls }, () => c.post(`/cds-services/${orderSelectService.id}`, requestFor('order-select'))));
    // Read before anything else can run on the database: the rows were committed before each response left.
    const uuids = responses.flatMap((r) => (r.body.cards as { uuid: string }[]).map((card) => card.uuid));
    const stored = await c.t.app.get<Database>(DATABASE).query<{ n: number }>('SELECT count(*)::int AS n FROM cds_cards WHERE uuid = ANY($1::text[])', [uuids]);
    stop();
    expect(responses.map((r) => r.status)).toEqual(Array(calls).fill(200));
    expect(stored[0]?.n).toBe(uuids.length);
    for (const table of ['ehr_jti', 'cds_invocations']) {
      expect(sizes[table]?.reduce((a, b) => a + b, 0)).toBe(calls);
    }
  });
});
