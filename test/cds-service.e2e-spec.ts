import request from 'supertest';
import { DATABASE, type Database } from '../src/store/database.js';
import { CardPipeline, type CardContext } from '../src/cds/card-pipeline.js';
import type { Card } from '../src/cds/cds-types.js';
import { fhirAuthorization, requestFor } from './fixtures/cds/requests.js';
import { badCardService, fixtureServices, goodServices, needsPrefetchService, orderSelectService, throwingService } from './fixtures/cds/services.js';
import { emptyValuePaths, expectOperationOutcome, UUID } from './helpers/cds-assertions.js';
import { startCdsTest, type CdsTestClient } from './helpers/cds-app.js';

const ALLOWED_ORIGIN = 'https://sandbox.hookwarden.test';

describe('CDS Hooks HTTP contract', () => {
  let c: CdsTestClient;
  const seen: { cards: Card[]; ctx: CardContext }[] = [];
  let breakLinks = false;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices, {
      file: {
        cors: { origins: [ALLOWED_ORIGIN] },
        smartClients: [{ clientId: 'medication-review', name: 'Review', launchUrl: 'https://hookwarden.test/apps/review', scope: 'launch patient/*.rs' }],
      },
    });
    c.t.app.get(CardPipeline).use(async (cards, ctx) => {
      seen.push({ cards, ctx });
      return breakLinks ? cards.map((card) => ({ ...card, links: [{ label: 'x', url: 'relative', type: 'absolute' }] })) : cards;
    });
  });
  afterAll(() => c.t.close());

  const call = (id: string, body: unknown) => c.post(`/cds-services/${id}`, body);
  const okCall = async (id: string, body: unknown) => {
    const res = await call(id, body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body;
  };

  describe('discovery', () => {
    it('D1 GET /cds-services answers 200 with a JSON object with a JWT, 401 without one (auth required)', async () => {
      expectOperationOutcome(await request(c.t.server).get('/cds-services'), 401, ['login']);
      const res = await c.get('/cds-services');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(typeof res.body).toBe('object');
    });

    it('D2 lists every service with string hook, description, id, string prefetch templates and no empty values', async () => {
      const { body } = await c.get('/cds-services');
      expect(body.services.map((s: { id: string }) => s.id)).toEqual(fixtureServices.map((s) => s.id));
      for (const s of body.services) {
        for (const key of ['hook', 'description', 'id']) expect(typeof s[key]).toBe('string');
        for (const template of Object.values(s.prefetch ?? {})) expect(typeof template).toBe('string');
      }
      expect(emptyValuePaths(body)).toEqual([]);
      expect(body.services[0]).toEqual({
        hook: 'order-select',
        title: 'Fixture: order-select',
        description: orderSelectService.description,
        id: orderSelectService.id,
        prefetch: { patient: 'Patient/{{context.patientId}}' },
        usageRequirements: 'Needs the patient.',
      });
      // An empty title is omitted, and host-only fields (scopes, evaluate, required) never appear.
      expect(Object.keys(body.services[2]).sort()).toEqual(['description', 'hook', 'id']);
    });
  });

  describe('service calls', () => {
    it('S1 each service answers a valid request with 200 JSON', async () => {
      for (const s of goodServices) {
        const res = await call(s.id, requestFor(s.hook));
        expect({ id: s.id, status: res.status }).toEqual({ id: s.id, status: 200 });
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });

    it('S2 the response has a cards array, empty when there is no guidance', async () => {
      expect(await okCall('fixture-order-sign', requestFor('order-sign'))).toEqual({ cards: [] });
      expect(Array.isArray((await okCall(orderSelectService.id, requestFor('order-select'))).cards)).toBe(true);
    });

    it('S3 cards have a summary under 140 characters, a valid indicator and a labelled source', async () => {
      for (const s of goodServices) {
        const { cards } = await okCall(s.id, requestFor(s.hook));
        for (const card of cards) {
          expect(typeof card.summary).toBe('string');
          expect(card.summary.length).toBeLessThan(140);
          expect(['info', 'warning', 'critical']).toContain(card.indicator);
          expect(card.source.label).toEqual(expect.any(String));
        }
      }
    });

    it('S4 optional card fields are typed correctly, uuids are assigned, empty values stripped', async () => {
      const body = await okCall(orderSelectService.id, requestFor('order-select', { prefetch: {} }));
      const [card] = body.cards;
      expect(card.uuid).toMatch(UUID);
      expect(card).not.toHaveProperty('detail'); // the service sent "" (§Use of JSON)
      expect(Array.isArray(card.suggestions) && Array.isArray(card.overrideReasons) && Array.isArray(card.links)).toBe(true);
      expect(emptyValuePaths(body)).toEqual([]);
      const withDetail = await okCall(orderSelectService.id, requestFor('order-select'));
      expect(typeof withDetail.cards[0].detail).toBe('string');
      expect(withDetail.cards[0].uuid).not.toBe(card.uuid);
    });

    it('S5 suggestions come with selectionBehavior, a label and uuid each, at most one recommended for at-most-one', async () => {
      const [card] = (await okCall(orderSelectService.id, requestFor('order-select'))).cards;
      expect(card.selectionBehavior).toBe('at-most-one');
      expect(card.suggestions.filter((s: { isRecommended?: boolean }) => s.isRecommended)).toHaveLength(1);
      for (const s of card.suggestions) {
        expect(typeof s.label).toBe('string');
        expect(s.uuid).toMatch(UUID);
        expect(s.actions.length).toBeGreaterThan(0);
      }
      const [legacy] = (await okCall('fixture-medication-prescribe', requestFor('medication-prescribe'))).cards;
      expect(legacy.selectionBehavior).toBe('any');
      expect(legacy.suggestions[0].uuid).toBe('b3d0c1f2-0000-4000-8000-000000000001');
    });

    it('S6 actions: create/update carry a resource, delete a relative resourceId and no resource', async () => {
      const [card] = (await okCall(orderSelectService.id, requestFor('order-select'))).cards;
      const actions = card.suggestions.flatMap((s: { actions: unknown[] }) => s.actions);
      expect(actions.map((a: { type: string }) => a.type).sort()).toEqual(['create', 'delete', 'update']);
      for (const a of actions) {
        expect(typeof a.description).toBe('string');
        if (a.type === 'delete') {
          expect(a.resourceId).toBe('MedicationRequest/mr-1');
          expect(a).not.toHaveProperty('resource');
        } else {
          expect(typeof a.resource.resourceType).toBe('string');
        }
      }
    });

    it('S7 override reasons are Codings with code, system and display', async () => {
      const [card] = (await okCall(orderSelectService.id, requestFor('order-select'))).cards;
      expect(card.overrideReasons.length).toBe(2);
      for (const r of card.overrideReasons) for (const k of ['code', 'system', 'display']) expect(typeof r[k]).toBe('string');
    });

    it('S8 links have label, type and an absolute url; appContext only on smart links; host-only app is dropped', async () => {
      const [card] = (await okCall(orderSelectService.id, requestFor('order-select'))).cards;
      for (const l of card.links) {
        expect(typeof l.label).toBe('string');
        expect(['absolute', 'smart']).toContain(l.type);
        expect(new URL(l.url).protocol).toBe('https:');
        if (l.appContext !== undefined) expect(l.type).toBe('smart');
        expect(l).not.toHaveProperty('app');
      }
      // The host-only `app` became a signed click-through URL to Hookwarden (DESIGN.md flow 2).
      expect(card.links[2]).toEqual({ label: 'Hosted app', url: expect.stringMatching(/^https:\/\/hookwarden\.test\/cds-links\/[\w-]+\.[\w-]+$/), type: 'absolute' });
    });

    it('S9 systemActions are valid Actions', async () => {
      const { systemActions } = await okCall(orderSelectService.id, requestFor('order-select'));
      expect(systemActions).toEqual([
        { type: 'update', description: 'Annotate the order', resource: { resourceType: 'MedicationRequest', id: 'mr-1', status: 'draft', intent: 'order' } },
      ]);
    });

    it('S1 tolerates unknown fields and extensions in the body and the context', async () => {
      const body = requestFor('patient-view', { extension: { 'org.example.flag': true }, futureField: 1 });
      (body.context as Record<string, unknown>).extension = { 'org.example.ctx': 'x' };
      await okCall('fixture-patient-view', body);
    });

    it('CardPipeline steps get checked cards with uuids and Link.app plus the call context; their output is checked again', async () => {
      const body = requestFor('order-select', { fhirServer: 'https://fhir.hookwarden.test/r4', fhirAuthorization });
      const res = await okCall(orderSelectService.id, body);
      const { cards, ctx } = seen.at(-1) as (typeof seen)[number];
      expect(cards[0].uuid).toBe(res.cards[0].uuid);
      // Steps added later run after the host's own (snapshot, link signing), so `app` is already signed away here.
      expect(cards[0].links?.[2].url).toMatch(/\/cds-links\//);
      expect(ctx).toEqual({
        serviceId: orderSelectService.id,
        hookInstance: body.hookInstance,
        issuer: c.ehr.issuer,
        userId: 'Practitioner/u1',
        patientId: 'p1',
        encounterId: 'e1',
        scopeCeiling: expect.any(Array),
        snapshot: expect.any(Function),
      });
      expect(JSON.stringify(ctx)).not.toContain(fhirAuthorization.access_token);
      breakLinks = true;
      try {
        expectOperationOutcome(await call(orderSelectService.id, requestFor('order-select')), 500, ['exception']);
      } finally {
        breakLinks = false;
      }
    });

    it('stores the invocation and its cards before the response is sent', async () => {
      const body = requestFor('order-sign');
      const res = await okCall('fixture-order-sign', body);
      const db = c.t.app.get<Database>(DATABASE);
      expect(await db.query('SELECT status, card_count FROM cds_invocations WHERE hook_instance = $1', [body.hookInstance])).toEqual([
        { status: 200, card_count: res.cards.length },
      ]);
      const stored = await db.query<{ uuid: string }>('SELECT uuid FROM cds_cards WHERE hook_instance = $1', [body.hookInstance]);
      expect(stored.map((r) => r.uuid).sort()).toEqual(res.cards.map((card: { uuid: string }) => card.uuid).sort());
    });

    it('cards that cannot be stored are never sent: 500 OperationOutcome instead', async () => {
      const db = c.t.app.get<Database>(DATABASE);
      await db.query('ALTER TABLE cds_cards RENAME TO cds_cards_away');
      try {
        const res = await call(orderSelectService.id, requestFor('order-select'));
        expectOperationOutcome(res, 500, ['exception']);
        expect(res.body.cards).toBeUndefined();
      } finally {
        await db.query('ALTER TABLE cds_cards_away RENAME TO cds_cards');
      }
    });

    it('records the invocation and the issued cards without the access token', async () => {
      const body = requestFor('order-select', { fhirServer: 'https://fhir.hookwarden.test/r4', fhirAuthorization });
      const res = await okCall(orderSelectService.id, body);
      const db = c.t.app.get<Database>(DATABASE);
      const [inv] = await db.query<Record<string, unknown>>('SELECT * FROM cds_invocations WHERE hook_instance = $1', [body.hookInstance]);
      expect(inv).toMatchObject({ service_id: orderSelectService.id, hook: 'order-select', status: 200, card_count: 1, indicators: { warning: 1 }, issuer: c.ehr.issuer });
      const [card] = await db.query<Record<string, unknown>>('SELECT * FROM cds_cards WHERE hook_instance = $1', [body.hookInstance]);
      expect(card).toMatchObject({ uuid: res.cards[0].uuid, indicator: 'warning', suggestion_uuids: res.cards[0].suggestions.map((s: { uuid: string }) => s.uuid) });
      const dump = JSON.stringify(await db.query("SELECT * FROM cds_invocations, cds_cards WHERE cds_cards.hook_instance = $1", [body.hookInstance]));
      expect(dump).not.toContain(fhirAuthorization.access_token);
    });
  });

  describe('errors', () => {
    it('N10 missing hook, hookInstance or context → 400 OperationOutcome naming the field', async () => {
      for (const field of ['hook', 'hookInstance', 'context']) {
        const body = requestFor('order-select');
        delete body[field];
        const res = await call(orderSelectService.id, body);
        expectOperationOutcome(res, 400, ['invalid']);
        expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0])).toContain(field);
      }
    });

    it('N10 malformed JSON → 400 OperationOutcome (structure), not an HTML page', async () => {
      const path = `/cds-services/${orderSelectService.id}`;
      const res = await request(c.t.server)
        .post(path)
        .set('Authorization', `Bearer ${await c.ehr.sign(`https://hookwarden.test${path}`)}`)
        .set('Content-Type', 'application/json')
        .send('{"hook": "order-select",');
      expectOperationOutcome(res, 400, ['structure']);
      const latin = await request(c.t.server)
        .post(path)
        .set('Authorization', `Bearer ${await c.ehr.sign(`https://hookwarden.test${path}`)}`)
        .set('Content-Type', 'application/json; charset=iso-8859-15')
        .send('{}');
      expectOperationOutcome(latin, 415, ['structure']);
    });

    it('N10 a body over the size limit → 413 OperationOutcome', async () => {
      const res = await call(orderSelectService.id, requestFor('order-select', { padding: 'x'.repeat(6 * 1024 * 1024) }));
      expectOperationOutcome(res, 413, ['too-long']);
    });

    it('N10 invalid context per hook → 400 naming the context fields', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['order-select', { selections: 'MedicationRequest/mr-1' }, 'context.selections'],
        ['order-select', { draftOrders: undefined }, 'context.draftOrders'],
        ['order-select', { userId: 'u1' }, 'context.userId'],
        ['order-select', { selections: ['MedicationRequest/not-drafted'] }, 'context.selections[0]'],
        ['order-select', { extension: 'x' }, 'context.extension'],
      ];
      for (const [hook, patch, path] of cases) {
        const body = requestFor(hook as 'order-select');
        body.context = { ...(body.context as object), ...patch };
        const res = await call(orderSelectService.id, body);
        expectOperationOutcome(res, 400, ['invalid']);
        expect(res.body.issue[0].diagnostics).toContain(path);
      }
      const noMeds = requestFor('medication-prescribe');
      delete (noMeds.context as Record<string, unknown>).medications;
      expectOperationOutcome(await call('fixture-medication-prescribe', noMeds), 400, ['invalid']);
    });

    it('N10 a hookInstance that is not a UUID or a non-object extension → 400', async () => {
      expectOperationOutcome(await call(orderSelectService.id, requestFor('order-select', { hookInstance: 'abc' })), 400, ['invalid']);
      expectOperationOutcome(await call(orderSelectService.id, requestFor('order-select', { extension: [1] })), 400, ['invalid']);
    });

    it('N11 unknown service id → 404 OperationOutcome (not-found)', async () => {
      expectOperationOutcome(await call('no-such-service', requestFor('order-select')), 404, ['not-found']);
    });

    it('N12 body hook differs from the service hook → 400', async () => {
      const res = await call(orderSelectService.id, requestFor('order-sign'));
      expectOperationOutcome(res, 400, ['invalid']);
      expect(res.body.issue[0].expression).toEqual(['hook']);
    });

    it('N13 fhirAuthorization without fhirServer → 400 (cds-r-1)', async () => {
      const res = await call(orderSelectService.id, requestFor('order-select', { fhirAuthorization }));
      expectOperationOutcome(res, 400, ['invalid']);
      expect(res.body.issue[0].expression).toEqual(['fhirServer']);
      expect(JSON.stringify(res.body)).not.toContain(fhirAuthorization.access_token);
    });

    it('N13 fhirAuthorization of the wrong shape → 400 naming the fields', async () => {
      const bad = { ...fhirAuthorization, token_type: 'MAC', expires_in: 1.5, subject: undefined };
      const res = await call(orderSelectService.id, requestFor('order-select', { fhirServer: 'https://fhir.hookwarden.test', fhirAuthorization: bad }));
      expectOperationOutcome(res, 400, ['invalid']);
      const paths = res.body.issue.map((i: { expression: string[] }) => i.expression[0]);
      expect(paths).toEqual(expect.arrayContaining(['fhirAuthorization.token_type', 'fhirAuthorization.expires_in', 'fhirAuthorization.subject']));
    });

    it('an invalid card from a service → 500 OperationOutcome without detail', async () => {
      const res = await call(badCardService.id, requestFor('order-sign'));
      expectOperationOutcome(res, 500, ['exception']);
      expect(res.body.issue).toEqual([{ severity: 'error', code: 'exception', diagnostics: 'service produced an invalid card' }]);
    });

    it('a service whose evaluate() throws → 500 OperationOutcome without the error', async () => {
      const res = await call(throwingService.id, requestFor('order-sign'));
      expectOperationOutcome(res, 500, ['exception']);
      expect(JSON.stringify(res.body)).not.toContain('Jane');
    });
  });

  describe('required data', () => {
    it('P1 a required prefetch key that cannot be obtained → 412 OperationOutcome (processing), recorded as 412', async () => {
      const body = requestFor('patient-view', { prefetch: {} });
      const res = await call(needsPrefetchService.id, body);
      expectOperationOutcome(res, 412, ['processing']);
      expect(res.body.issue[0].diagnostics).toContain('patient');
      const rows = await c.t.app.get<Database>(DATABASE).query('SELECT status, card_count FROM cds_invocations WHERE hook_instance = $1', [body.hookInstance]);
      expect(rows).toEqual([{ status: 412, card_count: 0 }]);
    });
  });

  describe('CORS', () => {
    it('C1 preflight from an allowed origin → 204 with CORS headers and no JWT; other origins get none', async () => {
      for (const [path, method, headers] of [
        ['/cds-services', 'GET', 'authorization'],
        [`/cds-services/${orderSelectService.id}`, 'POST', 'authorization,content-type'],
        [`/cds-services/${orderSelectService.id}/feedback`, 'POST', 'authorization,content-type'],
      ]) {
        const ok = await request(c.t.server)
          .options(path)
          .set('Origin', ALLOWED_ORIGIN)
          .set('Access-Control-Request-Method', method)
          .set('Access-Control-Request-Headers', headers);
        expect(ok.status).toBe(204);
        expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
        expect(ok.headers.vary).toMatch(/Origin/);
        expect(ok.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
        expect(ok.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
        expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
        const other = await request(c.t.server).options(path).set('Origin', 'https://evil.test').set('Access-Control-Request-Method', method);
        expect(Object.keys(other.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
      // Actual (non-preflight) responses carry the origin too, even a 401 (the browser must be able to read it).
      const actual = await request(c.t.server).get('/cds-services').set('Origin', ALLOWED_ORIGIN);
      expect(actual.status).toBe(401);
      expect(actual.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    });
  });
});

describe('CDS Hooks with auth.required false (local development)', () => {
  it('D1 discovery and service calls answer without a JWT; the invocation has no issuer', async () => {
    const c = await startCdsTest(fixtureServices, { file: { auth: { required: false } } });
    try {
      const discovery = await request(c.t.server).get('/cds-services');
      expect(discovery.status).toBe(200);
      expect(discovery.body.services).toHaveLength(fixtureServices.length);
      const body = requestFor('patient-view');
      expect((await request(c.t.server).post('/cds-services/fixture-patient-view').send(body)).status).toBe(200);
      const rows = await c.t.app.get<Database>(DATABASE).query('SELECT issuer FROM cds_invocations WHERE hook_instance = $1', [body.hookInstance]);
      expect(rows).toEqual([{ issuer: null }]);
    } finally {
      await c.t.close();
    }
  });
});
