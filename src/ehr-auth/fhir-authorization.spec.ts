import type { CdsRequest } from '../cds/cds-types.js';
import type { EhrConfig } from '../config/app-config.js';
import type { CdsClient } from './cds-client.js';
import { allowListedFhirServer, boundPatient, fhirAccessFor, isBearer, subjectMatches, validExpiresIn } from './fhir-authorization.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const ehr: EhrConfig = {
  issuer: 'https://ehr.example',
  jwks: { keys: [{ kty: 'EC' }] },
  algorithms: ['ES384'],
  fhirServers: ['https://fhir.ehr.example/r4'],
  clientId: 'hookwarden',
};
const client: CdsClient = { authenticated: true, issuer: ehr.issuer, jti: 'j', ehr };

function hookCall(overrides: Partial<CdsRequest> = {}, auth: Record<string, unknown> = {}): CdsRequest {
  return {
    hook: 'order-sign',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    fhirServer: 'https://fhir.ehr.example/r4',
    fhirAuthorization: {
      access_token: 'secret-token',
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/MedicationRequest.read patient/Patient.read',
      subject: 'hookwarden',
      patient: '123',
      ...auth,
    } as CdsRequest['fhirAuthorization'],
    context: { userId: 'Practitioner/1', patientId: '123' },
    ...overrides,
  };
}

describe('isBearer', () => {
  it('accepts Bearer in any case and nothing else', () => {
    for (const t of ['Bearer', 'bearer', 'BEARER']) expect(isBearer(t)).toBe(true);
    for (const t of ['MAC', 'DPoP', '', undefined]) expect(isBearer(t)).toBe(false);
  });
});

describe('validExpiresIn', () => {
  it('accepts a positive integer only', () => {
    expect(validExpiresIn(300)).toBe(true);
    for (const v of [0, -5, 1.5, '300', undefined, Number.NaN]) expect(validExpiresIn(v)).toBe(false);
  });
});

describe('subjectMatches', () => {
  it('requires subject = configured clientId, and anything when none is configured', () => {
    expect(subjectMatches('hookwarden', ehr)).toBe(true);
    expect(subjectMatches('other-client', ehr)).toBe(false);
    expect(subjectMatches(undefined, ehr)).toBe(false);
    expect(subjectMatches('anything', { clientId: undefined })).toBe(true);
  });
});

describe('boundPatient', () => {
  it('C3 falls back to context.patientId when fhirAuthorization.patient is absent', () => {
    expect(boundPatient(undefined, '123')).toBe('123');
  });
  it('C4 a mismatch binds no patient', () => {
    expect(boundPatient('123', '456')).toBeUndefined();
    expect(boundPatient('123', undefined)).toBeUndefined();
  });
  it('agreement binds that patient; no patient anywhere binds none', () => {
    expect(boundPatient('123', '123')).toBe('123');
    expect(boundPatient(undefined, undefined)).toBeUndefined();
  });
});

describe('allowListedFhirServer', () => {
  it('accepts a listed base, ignoring only a trailing slash', () => {
    expect(allowListedFhirServer('https://fhir.ehr.example/r4', ehr)).toBe('https://fhir.ehr.example/r4');
    expect(allowListedFhirServer('https://fhir.ehr.example/r4/', ehr)).toBe('https://fhir.ehr.example/r4');
  });
  it('refuses an un-listed server and near misses', () => {
    for (const s of [
      'https://attacker.example/r4',
      'https://fhir.ehr.example/r4/Patient',
      'https://fhir.ehr.example',
      'http://fhir.ehr.example/r4',
      'https://FHIR.ehr.example/r4',
      'https://fhir.ehr.example/r4?x=1',
      undefined,
    ]) {
      expect(allowListedFhirServer(s, ehr)).toBeUndefined();
    }
  });
  it('refuses every server when there is no authenticated issuer', () => {
    expect(allowListedFhirServer('https://fhir.ehr.example/r4', undefined)).toBeUndefined();
  });
});

describe('fhirAccessFor', () => {
  it('grants the token, listed server, scope, patient and expiry', () => {
    expect(fhirAccessFor(hookCall(), client, NOW)).toEqual({
      accessToken: 'secret-token',
      fhirServer: 'https://fhir.ehr.example/r4',
      scope: 'patient/MedicationRequest.read patient/Patient.read',
      patient: '123',
      expiresAt: NOW + 300_000,
    });
  });
  it('C1 no fhirAuthorization → no access', () => {
    expect(fhirAccessFor(hookCall({ fhirAuthorization: undefined }), client, NOW)).toBeUndefined();
  });
  it('accepts a lower-case token_type', () => {
    expect(fhirAccessFor(hookCall({}, { token_type: 'bearer' }), client, NOW)?.accessToken).toBe('secret-token');
  });
  it('refuses a non-Bearer token, a non-integer expires_in, a missing scope or token, and another subject', () => {
    for (const bad of [{ token_type: 'MAC' }, { expires_in: 30.5 }, { expires_in: '300' }, { scope: undefined }, { access_token: '' }, { subject: 'someone-else' }]) {
      expect(fhirAccessFor(hookCall({}, bad), client, NOW)).toBeUndefined();
    }
  });
  it('an un-listed fhirServer leaves fhirServer undefined (prefetch only), keeping the rest', () => {
    const access = fhirAccessFor(hookCall({ fhirServer: 'https://attacker.example/fhir' }), client, NOW);
    expect(access).toBeDefined();
    expect(access?.fhirServer).toBeUndefined();
  });
  it('an unauthenticated client (auth off) never gets a fhirServer', () => {
    const access = fhirAccessFor(hookCall(), { authenticated: false, issuer: null }, NOW);
    expect(access?.fhirServer).toBeUndefined();
  });
  it('C4 fhirAuthorization.patient ≠ context.patientId → no patient', () => {
    expect(fhirAccessFor(hookCall({}, { patient: '456' }), client, NOW)?.patient).toBeUndefined();
  });
  it('C3 absent fhirAuthorization.patient → context.patientId', () => {
    expect(fhirAccessFor(hookCall({}, { patient: undefined }), client, NOW)?.patient).toBe('123');
  });
  it('C7 expiresAt is now + expires_in seconds', () => {
    expect(fhirAccessFor(hookCall({}, { expires_in: 1 }), client, NOW)?.expiresAt).toBe(NOW + 1000);
  });
});
