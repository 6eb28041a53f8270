import { demoResources } from '../../config/demo.js';
import type { Database } from '../../store/database.js';
import { openDatabase } from '../../store/open-database.js';
import { DemoResourcesSeed } from './demo-resources.seed.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';

const count = async (db: Database) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_resources'))[0]?.n;

describe(DemoResourcesSeed.name, () => {
  let db: Database;
  beforeEach(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterEach(() => db.close());

  it('leaves a database of a configuration without demo records (a production one) empty; the migrations seed nothing', async () => {
    await new DemoResourcesSeed({}, new FhirResourcesRepository(db)).onModuleInit();
    expect(await count(db)).toBe(0);
  });

  it('seeds the demo records once: a second boot adds nothing and keeps a local write', async () => {
    const resources = new FhirResourcesRepository(db);
    const seed = new DemoResourcesSeed({ demoResources: demoResources() }, resources);
    await seed.onModuleInit();
    expect(await count(db)).toBe(demoResources().length);
    expect((await resources.list('demo', 'Patient')).map((p) => p.id)).toEqual(['demo-patient-1', 'demo-patient-2']);
    await resources.put('demo', { resourceType: 'MedicationRequest', id: 'demo-medrx-1', status: 'stopped' });
    await seed.onModuleInit();
    expect(await count(db)).toBe(demoResources().length);
    expect(await resources.read('demo', 'MedicationRequest', 'demo-medrx-1')).toMatchObject({ status: 'stopped', meta: { versionId: '2' } });
  });
});
