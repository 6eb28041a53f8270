import { migrate } from '../../store/migrate.js';
import { PgliteDatabase } from '../../store/pglite-database.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';

describe(FhirResourcesRepository.name, () => {
  it('materialises a snapshot in one go, keeping resources already written and leaving other partitions alone', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      await migrate(db);
      const store = new FhirResourcesRepository(db);
      const patient = { resourceType: 'Patient', id: 'p1', meta: { source: 'ehr' } };
      const order = { resourceType: 'MedicationRequest', id: 'm1', status: 'draft', subject: { reference: 'Patient/p1' } };
      await store.insertMissing('hook-1', [patient, order]);
      await store.put('hook-1', { ...order, status: 'active' });
      await store.insertMissing('hook-1', [patient, order]);
      await store.insertMissing('hook-2', [order]);

      expect(await store.read('hook-1', 'Patient', 'p1')).toMatchObject({ meta: { source: 'ehr', versionId: '1' } });
      expect(await store.read('hook-1', 'MedicationRequest', 'm1')).toMatchObject({ status: 'active', meta: { versionId: '2' } });
      expect(await store.read('hook-2', 'MedicationRequest', 'm1')).toMatchObject({ status: 'draft', meta: { versionId: '1' } });
      expect(await store.list('hook-1', 'MedicationRequest')).toHaveLength(1);
      await store.insertMissing('hook-1', []);
    } finally {
      await db.close();
    }
  });
});
