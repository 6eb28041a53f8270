import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { services } from '../../hooks/index.js';
import { withServiceApps } from '../cds/service-apps.js';
import { checkConfig } from './check-config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hookwarden-check-'));

describe(checkConfig.name, () => {
  it('prints what a valid file trusts: issuers with their keys and FHIR servers, CORS origins, clients, users; no secret', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'h.yaml'),
      [
        'profiles: [cds-hooks-sandbox]',
        'ehrs:',
        '  - issuer: https://sandbox.cds-hooks.org',
        '    fhirServers: [https://launch.smarthealthit.org/v/r4/fhir]',
        '  - issuer: https://ehr.example.org',
        '    jwksUrl: https://ehr.example.org/jwks.json',
        '    tenants: [hospital-a]',
        'cors: {origins: ["http://localhost:8080/"]}',
        'hooks: {medication-safety: {appLaunch: ehr}}',
        'smartClients:',
        '  - {clientId: backend, name: Backend, scope: system/Observation.rs, auth: client_secret_basic, secret: s3cret-s3cret-s3cret}',
        'users:',
        '  - {username: ana, passwordHash: "scrypt$32768$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", fhirUser: Practitioner/ana, roles: [clinician]}',
      ].join('\n'),
    );
    const result = checkConfig(['h.yaml'], { PUBLIC_URL: 'https://cds.example.org' }, cwd, (c) => withServiceApps(c, services));
    const out = result.lines.join('\n');
    expect(result.code).toBe(0);
    expect(out).toContain(`${join(cwd, 'h.yaml')}: valid`);
    expect(out).toMatch(/PRIVATE KEY IS PUBLIC/);
    expect(out).toContain('every EHR JWT aud is https://cds.example.org/cds-services');
    expect(out).toMatch(/https:\/\/sandbox\.cds-hooks\.org\n\s+algorithms: ES384\n\s+pinned keys: 44823f3d-0b01-4a6c-a80e-b9d3e8a7226f \(EC ES384 P-384\)/);
    expect(out).toContain('FHIR servers: https://launch.smarthealthit.org/v/r4/fhir');
    expect(out).toContain('allowed jku: https://ehr.example.org/jwks.json (keys fetched from it, cached)');
    expect(out).toContain('tenants: hospital-a');
    expect(out).toContain('  - http://localhost:8080\n');
    expect(out).toMatch(/backend "Backend": auth client_secret_basic \(secret set\)/);
    expect(out).toMatch(/medication-review "Medication Review": auth none; launch https:\/\/cds\.example\.org\/apps\/medication-review\/launch\.html/);
    expect(out).toContain('ana as Practitioner/ana [clinician]');
    expect(out).toContain('medication-safety: appLaunch ehr (smart links; the EHR launches the app)');
    expect(out).not.toContain('s3cret');
    expect(out).not.toContain('aGFzaGhh');
  });

  it('names every bad key of an invalid file and exits 1 (the same validation as the start)', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'bad.yaml'), 'ehrs:\n  - issuer: https://a\n    algorithms: [HS256]\ncors: {origins: [localhost]}\n');
    const result = checkConfig([], { HOOKWARDEN_CONFIG: 'bad.yaml' }, cwd);
    expect(result.code).toBe(1);
    const out = result.lines.join('\n');
    for (const key of ['ehrs.0.algorithms.0', 'ehrs.0: needs jwksUrl or jwks', 'cors.origins.0']) expect(out).toContain(key);
  });

  it('names a hooks group no served service has, as the start would', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'hooks.yaml'), 'hooks: {medication-safty: {appLaunch: ehr}}\n');
    const result = checkConfig(['hooks.yaml'], {}, cwd, (c) => withServiceApps(c, services));
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toContain('hooks.medication-safty: no served service group has this name (known: medication-safety)');
  });

  it('refuses a pinned key Node cannot import, which validation alone would let through to the first call', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'key.yaml'), 'ehrs:\n  - issuer: https://a\n    jwks: {keys: [{kty: EC, kid: k1, crv: P-384, x: AAAA, y: BBBB}]}\n');
    const result = checkConfig(['key.yaml'], {}, cwd);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toMatch(/INVALID\n\s+- ehrs\.0\.jwks: key k1 \(EC P-384\) UNUSABLE: /);
  });

  it('without a file says the demo would run and writes nothing (no demo key)', () => {
    const cwd = dir();
    const result = checkConfig([], { DATA_DIR: 'data' }, cwd);
    expect(result.code).toBe(2);
    expect(result.lines.join()).toMatch(/demo configuration/);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});
