// Seeds the raw analytics events of the analytics rows into the app's database before the app
// starts (PGlite allows one process per data directory), and folds them into the rollups.
import { openDatabase } from '../../../src/store/open-database.js';
import { type AnalyticsSeed, type SeedResult, seedAnalyticsEvents } from '../fixtures/analytics-events.js';
import { serveWorker } from '../lib/processes.js';

export interface SeedInput extends AnalyticsSeed {
  dataDir: string;
  databaseUrl?: string;
}

serveWorker<SeedInput, SeedResult>(async (input) => {
  const db = await openDatabase({ dataDir: input.dataDir, ...(input.databaseUrl ? { databaseUrl: input.databaseUrl } : {}) });
  try {
    return await seedAnalyticsEvents(db, input);
  } finally {
    await db.close();
  }
});
