import { services } from '../../hooks/index.js';
import { fileSchema } from '../config/config.schema.js';
import type { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { serviceApps, serviceSettings, withServiceApps } from './service-apps.js';

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

describe(serviceSettings.name, () => {
  const signService = services.find((s) => s.id === 'medication-safety-order-sign') as (typeof services)[number];

  it('reads a service group\'s appLaunch from hooks.<configKey>, hookwarden by default', () => {
    expect(serviceSettings(config(), signService)).toEqual({ appLaunch: 'hookwarden' });
    expect(serviceSettings(config({ hooks: { 'medication-safety': {} } }), signService)).toEqual({ appLaunch: 'hookwarden' });
    expect(serviceSettings(config({ hooks: { 'medication-safety': { appLaunch: 'ehr' } } }), signService)).toEqual({ appLaunch: 'ehr' });
  });

  it('stops the start naming a hooks key that no served service group has, and refuses an unknown appLaunch', () => {
    let error: unknown;
    try {
      withServiceApps(config({ hooks: { 'medication-safty': { appLaunch: 'ehr' } } }), services);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['hooks.medication-safty: no served service group has this name (known: medication-safety)']);
    expect(fileSchema.safeParse({ hooks: { 'medication-safety': { appLaunch: 'app' } } }).error?.issues[0]?.path).toEqual(['hooks', 'medication-safety', 'appLaunch']);
  });
});
