import { ContentTooLarge } from '../http/input-errors.js';
import { InvalidRequestError } from './cds-errors.js';
import { parseCdsRequest } from './parse-cds-request.js';

const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'MedicationRequest', id: '1' } }] };
const valid = (context: Record<string, unknown>, hook = 'order-select', extra: Record<string, unknown> = {}) => ({
  hook,
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  context: { userId: 'Practitioner/1', patientId: 'p1', ...context },
  ...extra,
});

async function problemPaths(body: unknown, hook: Parameters<typeof parseCdsRequest>[1] = 'order-select'): Promise<string[]> {
  try {
    await parseCdsRequest(body, hook, 200);
    return [];
  } catch (e) {
    if (!(e instanceof InvalidRequestError)) throw e;
    return [...new Set(e.problems.map((p) => p.path))].sort();
  }
}

describe('parseCdsRequest (§HTTP Request, cds-hooks-library 1.0.1 contexts)', () => {
  it('accepts each hook with its required context', async () => {
    expect(await problemPaths(valid({ selections: ['MedicationRequest/1'], draftOrders: bundle }))).toEqual([]);
    expect(await problemPaths(valid({ draftOrders: bundle }, 'order-sign'), 'order-sign')).toEqual([]);
    expect(await problemPaths(valid({ medications: bundle }, 'medication-prescribe'), 'medication-prescribe')).toEqual([]);
    expect(await problemPaths(valid({ encounterId: 'e1' }, 'patient-view'), 'patient-view')).toEqual([]);
  });

  it('tolerates unknown fields and object extensions', async () => {
    expect(await problemPaths(valid({ draftOrders: bundle, selections: ['MedicationRequest/1'], newField: 1, extension: { a: 1 } }, 'order-select', { extension: { b: 2 }, other: true }))).toEqual([]);
  });

  it('requires hook, hookInstance (UUID) and context', async () => {
    expect(await problemPaths({})).toEqual(expect.arrayContaining(['hook', 'hookInstance', 'context']));
    expect(await problemPaths({ ...valid({ selections: ['MedicationRequest/1'], draftOrders: bundle }), hookInstance: 'not-a-uuid' })).toEqual(['hookInstance']);
  });

  it('refuses a body that is not an object', async () => {
    expect(await problemPaths([1])).toEqual(['$']);
    expect(await problemPaths('x')).toEqual(['$']);
  });

  it('N12 refuses a body for another hook', async () => {
    expect(await problemPaths(valid({ draftOrders: bundle }, 'order-sign'))).toEqual(['hook']);
  });

  it('cds-r-1 fhirServer is required with fhirAuthorization, and must be a URL', async () => {
    const auth = { access_token: 'a', token_type: 'Bearer', expires_in: 60, scope: 's', subject: 'c' };
    const ctx = { selections: ['MedicationRequest/1'], draftOrders: bundle };
    expect(await problemPaths(valid(ctx, 'order-select', { fhirAuthorization: auth }))).toEqual(['fhirServer']);
    expect(await problemPaths(valid(ctx, 'order-select', { fhirServer: 'not a url' }))).toEqual(['fhirServer']);
    expect(await problemPaths(valid(ctx, 'order-select', { fhirServer: 'https://fhir.test/r4', fhirAuthorization: auth }))).toEqual([]);
  });

  it('checks the fhirAuthorization shape', async () => {
    const auth = { access_token: '', token_type: 'bearer', expires_in: '60', scope: 1 };
    expect(await problemPaths(valid({ selections: ['MedicationRequest/1'], draftOrders: bundle }, 'order-select', { fhirServer: 'https://f.test', fhirAuthorization: auth }))).toEqual(
      expect.arrayContaining(['fhirAuthorization.access_token', 'fhirAuthorization.token_type', 'fhirAuthorization.expires_in', 'fhirAuthorization.scope', 'fhirAuthorization.subject']),
    );
  });

  it('requires the context fields of the hook with their formats', async () => {
    expect(await problemPaths(valid({ userId: '123', selections: 'x', draftOrders: [] }))).toEqual(['context.draftOrders', 'context.selections', 'context.userId']);
    expect(await problemPaths(valid({ patientId: undefined }, 'patient-view'), 'patient-view')).toEqual(['context.patientId']);
    expect(await problemPaths(valid({}, 'medication-prescribe'), 'medication-prescribe')).toEqual(['context.medications']);
    expect(await problemPaths(valid({ draftOrders: { resourceType: 'Patient' } }, 'order-sign'), 'order-sign')).toEqual(['context.draftOrders']);
  });

  it('order-select selections are non-empty and name entries of draftOrders', async () => {
    expect(await problemPaths(valid({ selections: [], draftOrders: bundle }))).toEqual(['context.selections']);
    expect(await problemPaths(valid({ selections: ['MedicationRequest/1', 'MedicationRequest/2'], draftOrders: bundle }))).toEqual(['context.selections[1]']);
  });

  it('extension must be an object', async () => {
    expect(await problemPaths(valid({ extension: 'x' }, 'patient-view', { extension: [1] }), 'patient-view')).toEqual(['context.extension', 'extension']);
  });
});

const drafts = (n: number) => ({ ...bundle, entry: Array.from({ length: n }, (_, i) => ({ resource: { resourceType: 'MedicationRequest', id: `${i}` } })) });

describe('parseCdsRequest draft-order bound (limits.draftOrders)', () => {
  it.each([
    ['order-sign', 'draftOrders'],
    ['medication-prescribe', 'medications'],
  ] as const)('%s: more than the bound in context.%s → 413 naming the field; the bound itself passes', async (hook, field) => {
    await expect(parseCdsRequest(valid({ [field]: drafts(3) }, hook), hook, 3)).resolves.toBeDefined();
    const refused = await parseCdsRequest(valid({ [field]: drafts(4) }, hook), hook, 3).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ContentTooLarge);
    expect((refused as ContentTooLarge).path).toBe(`context.${field}.entry`);
  });
});
