import { listMigrations, migrate } from '../store/migrate.js';
import { PgliteDatabase } from '../store/pglite-database.js';

describe('020_analytics_day_rollups on a database that already has hour rollups', () => {
  it('sums the existing hour rows into day rows and gives the service rows their cards', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      const all = listMigrations();
      await migrate(db, all.filter((m) => m.version < '020'));
      await db.query(
        `INSERT INTO analytics_service_hours (service_id, bucket, invocations, errors, prefetch_dropped) VALUES
           ('svc', '2026-03-01T10:00:00Z', 3, 1, 0), ('svc', '2026-03-01T11:00:00Z', 2, 0, 1)`,
      );
      await db.query(
        `INSERT INTO analytics_rule_hours (service_id, rule, bucket, cards, accepted, overridden, link_clicks) VALUES
           ('svc', 'r1', '2026-03-01T10:00:00Z', 4, 1, 2, 1), ('svc', 'r2', '2026-03-01T10:00:00Z', 1, 0, 1, 0), ('svc', 'r1', '2026-03-01T12:00:00Z', 2, 2, 0, 0)`,
      );
      await db.query(`INSERT INTO analytics_latency_hours (service_id, bucket, bin, count) VALUES ('svc', '2026-03-01T10:00:00Z', 100, 3), ('svc', '2026-03-01T11:00:00Z', 100, 2)`);
      await migrate(db, all);
      expect(await db.query('SELECT bucket::text, invocations::int, cards::int, accepted::int, overridden::int, link_clicks::int FROM analytics_service_hours ORDER BY bucket')).toEqual([
        { bucket: '2026-03-01 10:00:00+00', invocations: 3, cards: 5, accepted: 1, overridden: 3, link_clicks: 1 },
        { bucket: '2026-03-01 11:00:00+00', invocations: 2, cards: 0, accepted: 0, overridden: 0, link_clicks: 0 },
        { bucket: '2026-03-01 12:00:00+00', invocations: 0, cards: 2, accepted: 2, overridden: 0, link_clicks: 0 },
      ]);
      expect(await db.query('SELECT bucket::text, invocations::int, errors::int, cards::int FROM analytics_service_days')).toEqual([
        { bucket: '2026-03-01 00:00:00+00', invocations: 5, errors: 1, cards: 7 },
      ]);
      expect(await db.query('SELECT rule, cards::int, accepted::int FROM analytics_rule_days ORDER BY rule')).toEqual([
        { rule: 'r1', cards: 6, accepted: 3 },
        { rule: 'r2', cards: 1, accepted: 0 },
      ]);
      expect(await db.query('SELECT bin, count::int FROM analytics_latency_days')).toEqual([{ bin: 100, count: 5 }]);
    } finally {
      await db.close();
    }
  });
});
