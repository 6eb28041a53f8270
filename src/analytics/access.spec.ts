import { InsufficientScope } from './analytics-errors.js';
import { checkAnalyticsAccess, hasAnalyticsScope, isAnalyst, isAnalyticsClient } from './access.js';

const users = [
  { fhirUser: 'Practitioner/owner', roles: ['analyst', 'admin'] as const },
  { fhirUser: 'Practitioner/doc', roles: ['clinician'] as const },
].map((u) => ({ ...u, roles: [...u.roles] }));
const smartClients = [
  { clientId: 'bi-tool', scope: 'system/*.rs analytics.read' },
  { clientId: 'backend-other', scope: 'system/Patient.rs' },
];
const config = { users, smartClients };
const clinicianCall = () => checkAnalyticsAccess({ scope: 'analytics.read', kind: 'standalone', clientId: 'dash', fhirUser: 'Practitioner/doc' }, config);
const unscopedAnalystCall = () => checkAnalyticsAccess({ scope: 'openid fhirUser', kind: 'standalone', clientId: 'dash', fhirUser: 'Practitioner/owner' }, config);

describe('analytics access (DESIGN.md §Analytics contract)', () => {
  it('reads analytics.read as a whole scope word only', () => {
    expect(hasAnalyticsScope('openid analytics.read fhirUser')).toBe(true);
    expect(hasAnalyticsScope('analytics.readonly analytics')).toBe(false);
    expect(hasAnalyticsScope('')).toBe(false);
  });

  it('an analyst user, found by fhirUser, passes', () => {
    expect(isAnalyst('Practitioner/owner', users)).toBe(true);
    expect(() => checkAnalyticsAccess({ scope: 'openid analytics.read', kind: 'standalone', clientId: 'dash', fhirUser: 'Practitioner/owner' }, config)).not.toThrow();
  });

  it('a clinician with analytics.read is refused 403 insufficient_scope', () => {
    expect(isAnalyst('Practitioner/doc', users)).toBe(false);
    expect(clinicianCall).toThrow(InsufficientScope);
    expect(clinicianCall).toThrow('the user does not have the analyst role');
  });

  it('an unknown user, or a token without fhirUser, is refused', () => {
    expect(isAnalyst('Practitioner/nobody', users)).toBe(false);
    expect(isAnalyst(undefined, users)).toBe(false);
  });

  it('a user with two entries passes only when both are analysts', () => {
    expect(isAnalyst('Practitioner/x', [...users, { fhirUser: 'Practitioner/x', roles: ['analyst'] }, { fhirUser: 'Practitioner/x', roles: ['clinician'] }])).toBe(false);
  });

  it('an analyst token without analytics.read is refused (RFC 6750 §3.1)', () => {
    expect(unscopedAnalystCall).toThrow(InsufficientScope);
    expect(unscopedAnalystCall).toThrow('the token lacks analytics.read');
  });

  it('a backend client passes only when registered with analytics.read', () => {
    expect(isAnalyticsClient('bi-tool', smartClients)).toBe(true);
    expect(isAnalyticsClient('backend-other', smartClients)).toBe(false);
    expect(isAnalyticsClient('gone', smartClients)).toBe(false);
    expect(() => checkAnalyticsAccess({ scope: 'analytics.read', kind: 'backend', clientId: 'bi-tool' }, config)).not.toThrow();
    expect(() => checkAnalyticsAccess({ scope: 'analytics.read', kind: 'backend', clientId: 'backend-other' }, config)).toThrow(
      'the client is not registered for analytics.read',
    );
  });

  it('a backend token is not a user: it never passes on fhirUser', () => {
    expect(() => checkAnalyticsAccess({ scope: 'analytics.read', kind: 'backend', clientId: 'backend-other', fhirUser: 'Practitioner/owner' }, config)).toThrow(InsufficientScope);
  });
});
