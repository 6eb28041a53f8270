import type { ServiceApp, ServiceDefinition } from './cds-types.js';
import { definitionProblems, toDiscoveryService } from './discovery.js';

const def = (extra: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  id: 'svc',
  hook: 'order-sign',
  title: 'Title',
  description: 'Does things',
  scopes: ['patient/MedicationRequest.rs'],
  evaluate: () => ({ cards: [] }),
  ...extra,
});

describe('toDiscoveryService (§Discovery)', () => {
  it('D2 publishes hook, title, description, id, prefetch templates and usageRequirements', () => {
    const published = toDiscoveryService(
      def({ usageRequirements: 'Needs meds', prefetch: { meds: { template: 'MedicationRequest?patient={{context.patientId}}', essential: true, readable: () => true } } }),
    );
    expect(published).toEqual({
      hook: 'order-sign',
      title: 'Title',
      description: 'Does things',
      id: 'svc',
      prefetch: { meds: 'MedicationRequest?patient={{context.patientId}}' },
      usageRequirements: 'Needs meds',
    });
  });

  it('D2 omits empty optional attributes and host-only fields', () => {
    expect(toDiscoveryService(def({ title: '', prefetch: {}, usageRequirements: '' }))).toEqual({ hook: 'order-sign', description: 'Does things', id: 'svc' });
  });
});

describe('definitionProblems', () => {
  it('accepts valid definitions', () => {
    expect(definitionProblems([def(), def({ id: 'other', hook: 'order-select' })])).toEqual([]);
  });

  it('refuses duplicate ids, unsupported hooks, ids that are not path segments, missing descriptions', () => {
    expect(definitionProblems([def(), def()])).toEqual(['service id svc is defined twice']);
    expect(definitionProblems([def({ hook: 'encounter-start' as ServiceDefinition['hook'] })])).toEqual(['service svc: unsupported hook encounter-start']);
    expect(definitionProblems([def({ id: 'a/b' })])).toEqual(['service id "a/b" is not a URL path segment']);
    expect(definitionProblems([def({ description: '' })])).toEqual(['service svc: description is required']);
  });

  it('refuses prefetch templates outside §Prefetch tokens', () => {
    const problems = definitionProblems([def({ prefetch: { meds: { template: 'MedicationRequest?patient={{context.medication.id}}' } } })]);
    expect(problems).toEqual([expect.stringMatching(/^service svc: prefetch meds: invalid prefetch template/)]);
  });

  it('refuses an app whose clientId is no path segment, and two services declaring one clientId differently', () => {
    const app: ServiceApp = { clientId: 'review', name: 'Review', scope: 'launch', files: new URL('file:///apps/review/'), launchPath: 'launch.html', redirectPath: 'index.html' };
    expect(definitionProblems([def({ app }), def({ id: 'other', app })])).toEqual([]);
    expect(definitionProblems([def({ app: { ...app, clientId: 'a/b' } })])).toEqual(['service svc: app clientId "a/b" is not a URL path segment']);
    expect(definitionProblems([def({ app }), def({ id: 'other', app: { ...app, scope: 'launch openid' } })])).toEqual([
      'service other: app review is declared differently by another service',
    ]);
  });
});
