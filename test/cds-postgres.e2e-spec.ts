import { DATABASE, type Database } from '../src/store/database.js';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, orderSelectService } from './fixtures/cds/services.js';
import { startCdsTest } from './helpers/cds-app.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';

// Many processes on one PostgreSQL (DESIGN.md: the operator's scale-out mode).
describe.runIf(TEST_PG_URL)('CDS Hooks on PostgreSQL with two instances', () => {
  it('F1 F3 feedback reaching instance B right after A issued the card is accepted once, whichever instance gets it', async () => {
    const databaseUrl = await freshPostgresDatabase('cds');
    const a = await startCdsTest(fixtureServices, { env: { databaseUrl } });
    const b = await startCdsTest(fixtureServices, { env: { databaseUrl }, ehr: a.ehr });
    try {
      const call = await a.post(`/cds-services/${orderSelectService.id}`, requestFor('order-select'));
      const card = call.body.cards[0];
      const item = { card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions[0].uuid }], outcomeTimestamp: '2026-11-23T09:30:00Z' };
      // A committed the card before it answered, so B finds it at once (no waiting, no retry).
      expect((await b.post(`/cds-services/${orderSelectService.id}/feedback`, { feedback: [item] })).status).toBe(200);
      expect((await a.post(`/cds-services/${orderSelectService.id}/feedback`, { feedback: [item] })).status).toBe(200);
      const rows = await b.t.app.get<Database>(DATABASE).query('SELECT service_id, channel FROM cds_feedback WHERE card_uuid = $1', [card.uuid]);
      expect(rows).toEqual([{ service_id: orderSelectService.id, channel: 'jwt' }]);
    } finally {
      await Promise.all([a.t.close(), b.t.close()]);
    }
  });
});
