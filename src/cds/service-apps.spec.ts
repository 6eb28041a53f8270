import { services } from '../../hooks/index.js';
import { fileSchema } from '../config/config.schema.js';
import type { AppConfig } from '../config/app-config.js';
import { serviceApps, withServiceApps } from './service-apps.js';

const PUBLIC_URL = 'https://cds.example.org';

function config(file: Record<string, unknown> = {}): AppConfig {
  return { ...fileSchema.parse(file), port: 3000, publicUrl: PUBLIC_URL, dataDir: '/tmp/unused' };
}

describe(withServiceApps.name, () => {
  it('registers the medication-safety app, declared once by its three services, as the public client the cards launch', () => {
    expect(serviceApps(services).map((app) => app.clientId)).toEqual(['medication-review']);
    expect(withServiceApps(config(), services).smartClients).toEqual([
      {
        clientId: 'medication-review',
        name: 'Medication Review',
        launchUrl: `${PUBLIC_URL}/apps/medication-review/launch.html`,
        redirectUris: [`${PUBLIC_URL}/apps/medication-review/index.html`],
        scope:
          'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs ' +
          'patient/Provenance.rs patient/DetectedIssue.rs',
        auth: 'none',
        autoApprove: true,
        writableTypes: ['MedicationRequest'],
      },
    ]);
  });

  it('keeps the operator entry for medication-review instead of the bundled one', () => {
    const hosted = { clientId: 'medication-review', name: 'Hosted', launchUrl: 'https://apps.example.org/launch', redirectUris: ['https://apps.example.org/cb'], scope: 'launch openid' };
    const { smartClients } = withServiceApps(config({ smartClients: [hosted] }), services);
    expect(smartClients).toHaveLength(1);
    expect(smartClients[0]).toMatchObject({ name: 'Hosted', launchUrl: 'https://apps.example.org/launch', redirectUris: ['https://apps.example.org/cb'] });
  });

  it('adds the bundled app next to other operator clients and leaves a config without service apps as it is', () => {
    const other = { clientId: 'other-app', name: 'Other', redirectUris: ['https://other.example.org/cb'], scope: 'launch' };
    expect(withServiceApps(config({ smartClients: [other] }), services).smartClients.map((c) => c.clientId)).toEqual(['other-app', 'medication-review']);
    const plain = config({ smartClients: [other] });
    expect(withServiceApps(plain, services.map(({ app: _app, ...rest }) => rest))).toBe(plain);
  });
});
