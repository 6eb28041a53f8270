import type { IdentityProviderConfig, UserConfig } from '../../config/config.schema.js';
import { isAllowedDomain, mappedFhirUser } from './upstream-checks.js';

const provider = (over: Partial<IdentityProviderConfig> = {}) => ({ id: 'hospital', ...over }) as IdentityProviderConfig;
const users = [
  { username: 'a', fhirUser: 'Practitioner/a', upstream: { provider: 'hospital', sub: 'sub-a' } },
  { username: 'b', fhirUser: 'Practitioner/b', upstream: { provider: 'other', sub: 'sub-b' } },
] as UserConfig[];

describe('upstream sign-in: allowed domains', () => {
  it('no list allows everyone', () => {
    expect(isAllowedDomain({ sub: 'x' }, [])).toBe(true);
  });

  it('hd or a verified email domain must be listed (case-insensitive)', () => {
    expect(isAllowedDomain({ sub: 'x', hd: 'Hospital.example' }, ['hospital.example'])).toBe(true);
    expect(isAllowedDomain({ sub: 'x', email: 'dr@hospital.example', email_verified: true }, ['hospital.example'])).toBe(true);
    expect(isAllowedDomain({ sub: 'x', email: 'dr@elsewhere.example', email_verified: true }, ['hospital.example'])).toBe(false);
  });

  it('an unverified email, or a domain only as a suffix, does not count', () => {
    expect(isAllowedDomain({ sub: 'x', email: 'dr@hospital.example' }, ['hospital.example'])).toBe(false);
    expect(isAllowedDomain({ sub: 'x', email: 'dr@evilhospital.example', email_verified: true }, ['hospital.example'])).toBe(false);
    expect(isAllowedDomain({ sub: 'x', email: 'dr@hospital.example@evil.example', email_verified: true }, ['hospital.example'])).toBe(false);
  });
});

describe('upstream sign-in: who the person is here', () => {
  it('the configured claim, when it is a fhirUser reference', () => {
    expect(mappedFhirUser({ sub: 'x', fhir_user: 'Practitioner/p1' }, provider({ fhirUserClaim: 'fhir_user' }), users)).toBe('Practitioner/p1');
    expect(mappedFhirUser({ sub: 'x', fhir_user: 'https://evil/Practitioner/p1' }, provider({ fhirUserClaim: 'fhir_user' }), users)).toBeUndefined();
    expect(mappedFhirUser({ sub: 'sub-a' }, provider({ fhirUserClaim: 'fhir_user' }), users)).toBeUndefined();
  });

  it('without a claim, the users[] entry linked to this provider and sub, and no other', () => {
    expect(mappedFhirUser({ sub: 'sub-a' }, provider(), users)).toBe('Practitioner/a');
    expect(mappedFhirUser({ sub: 'sub-b' }, provider(), users)).toBeUndefined();
    expect(mappedFhirUser({ sub: 'unknown' }, provider(), users)).toBeUndefined();
  });
});
