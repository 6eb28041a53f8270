import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { medicationSafetyServices } from '../hooks/medication-safety/service.js';
import { FIXTURES } from '../hooks/medication-safety/testing/fixtures.js';
import type { Card, CdsRequest, ServiceDefinition } from '../src/cds/cds-types.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { requestFor } from './fixtures/cds/requests.js';
import { orderSelectService } from './fixtures/cds/services.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { createCdsTestApp } from './helpers/cds-app.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { searchset } from './helpers/fhir-test-server.js';
import { buildTestConfig, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// Issue 10 item 9: every size bound comes from the config's `limits`, and over one the answer is a 413 or
// a card saying the data was too large to check, never a stall. Small bounds here, so the cases stay fast.
const LIMITS = { prefetchBytes: 50_000, prefetchResources: 20, draftOrders: 10, cards: 3, feedbackItemsPerCard: 2 };
const ORDER_SIGN = 'medication-safety-order-sign';
const STATIN_MACROLIDE = FIXTURES['not-ok']['order-sign-statin-macrolide'];
const PATIENT = STATIN_MACROLIDE.context.patientId;
const allergy = (i: number) => ({ resourceType: 'AllergyIntolerance', id: `a${i}`, patient: { reference: `Patient/${PATIENT}` }, code: { text: `allergen ${i}` } });

/** A service answering one card per draft order, to exceed `limits.cards`. */
const chattyService: ServiceDefinition = {
  id: 'chatty-order-sign',
  hook: 'order-sign',
  title: 'Chatty',
  description: 'One card per draft.',
  scopes: [],
  evaluate: (req) => ({
    cards: (req.context.draftOrders?.entry ?? []).map((_, i) => ({ summary: `card ${i}`, indicator: 'info' as const, source: { label: 'test' } })),
  }),
};

/** A FHIR server whose AllergyIntolerance search streams a Bundle without end, until the client hangs up. */
interface EndlessServer {
  base: string;
  sent: { closed: boolean };
  close(): Promise<void>;
}

async function startEndlessServer(): Promise<EndlessServer> {
  const sent = { closed: false };
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    const chunk = `${JSON.stringify({ resource: allergy(1) })},`;
    res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
    const pump = () => {
      if (res.destroyed) return;
      while (res.write(chunk));
      res.once('drain', pump);
    };
    res.on('close', () => (sent.closed = true));
    if (req.url?.includes('AllergyIntolerance')) pump();
    else res.end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A FHIR server answering every search with the same searchset. */
async function startFixedServer(body: unknown): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The statin + macrolide call with its allergies left to be fetched from `fhirServer`. */
const fetchingAllergies = (fhirServer: string): CdsRequest => {
  const b = structuredClone(STATIN_MACROLIDE);
  b.hookInstance = randomUUID();
  delete b.prefetch!['allergyIntolerances'];
  return Object.assign(b, {
    fhirServer,
    fhirAuthorization: { access_token: 'size-bounds-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/MedicationRequest.read patient/MedicationStatement.read patient/AllergyIntolerance.read patient/Patient.read', subject: 'hookwarden', patient: PATIENT },
  });
};
const warningDetail = (res: request.Response) => (res.body.cards as Card[]).find((c) => c.source.topic?.code === 'checks-not-performed')?.detail;

describe('item 9: size bounds from the config', () => {
  let endless: EndlessServer;
  let many: Awaited<ReturnType<typeof startFixedServer>>;
  let ehr: TestEhr;
  let t: TestApp;

  const call = async (serviceId: string, body: unknown) => {
    const path = `/cds-services/${serviceId}`;
    return request(t.server).post(path).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`).send(body as object);
  };

  beforeAll(async () => {
    endless = await startEndlessServer();
    many = await startFixedServer(searchset(Array.from({ length: LIMITS.prefetchResources + 1 }, (_, i) => allergy(i))));
    ehr = await makeTestEhr();
    t = await createCdsTestApp(
      buildTestConfig({ ehrs: [ehr.config({ fhirServers: [endless.base, many.base], clientId: 'hookwarden' })], limits: LIMITS }),
      [...medicationSafetyServices, orderSelectService, chattyService],
    );
  });
  afterAll(async () => {
    await t.close();
    await endless.close();
    await many.close();
  });

  it('item 9: a FHIR server streaming without end is cut off at limits.prefetchBytes: the interaction card and "too large to check", no stall', async () => {
    const started = performance.now();
    const res = await call(ORDER_SIGN, fetchingAllergies(endless.base));
    // Well inside the 2 s prefetch timeout: the read stopped at the byte bound, it did not wait to be aborted.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(200);
    expect((res.body.cards as Card[]).map((c) => c.source.topic?.code)).toEqual(['onc-hp-ddi-11', 'checks-not-performed']);
    expect(warningDetail(res)).toContain('the patient’s allergy list was too large to check');
    // The connection was closed by the reader (the stream never ends by itself).
    await vi.waitFor(() => expect(endless.sent.closed).toBe(true));
  });

  it('item 9: a fetched searchset with more than limits.prefetchResources resources is too large to check', async () => {
    const res = await call(ORDER_SIGN, fetchingAllergies(many.base));
    expect(res.status).toBe(200);
    expect(warningDetail(res)).toContain('the patient’s allergy list was too large to check');
  });

  it('item 9: a sent prefetch key with more than limits.prefetchResources resources is too large to check', async () => {
    const b = structuredClone(STATIN_MACROLIDE);
    b.hookInstance = randomUUID();
    b.prefetch!['allergyIntolerances'] = searchset(Array.from({ length: LIMITS.prefetchResources + 1 }, (_, i) => allergy(i)));
    const res = await call(ORDER_SIGN, b);
    expect(res.status).toBe(200);
    expect(warningDetail(res)).toContain('the patient’s allergy list was too large to check');
  });

  it('item 9: more than limits.draftOrders draft orders → 413 OperationOutcome naming the field', async () => {
    const b = structuredClone(STATIN_MACROLIDE);
    b.hookInstance = randomUUID();
    const draft = b.context.draftOrders!.entry![0]!;
    b.context.draftOrders!.entry = Array.from({ length: LIMITS.draftOrders + 1 }, (_, i) => ({ resource: { ...draft.resource!, id: `d${i}` } }));
    const res = await call(ORDER_SIGN, b);
    expectOperationOutcome(res, 413, ['too-long']);
    expect(res.body.issue[0].expression).toEqual(['context.draftOrders.entry']);
  });

  it('item 9: limits.draftOrders draft orders are still checked', async () => {
    const b = requestFor('order-sign');
    const bundle = (b.context as { draftOrders: { entry: unknown[] } }).draftOrders;
    bundle.entry = Array.from({ length: LIMITS.draftOrders }, () => bundle.entry[0]);
    expect((await call(chattyService.id, b)).status).toBe(200);
  });

  it('item 9: an answer of more than limits.cards cards keeps the first limits.cards, and stores only those', async () => {
    const b = requestFor('order-sign');
    const bundle = (b.context as { draftOrders: { entry: unknown[] } }).draftOrders;
    bundle.entry = Array.from({ length: LIMITS.cards + 4 }, () => bundle.entry[0]);
    const res = await call(chattyService.id, b);
    expect(res.status).toBe(200);
    expect((res.body.cards as Card[]).map((c) => c.summary)).toEqual(['card 0', 'card 1', 'card 2']);
    const stored = await t.app.get<Database>(DATABASE).query('SELECT uuid FROM cds_cards WHERE hook_instance = $1', [b.hookInstance]);
    expect(stored).toHaveLength(LIMITS.cards);
  });

  it('item 9: the signed feedback URL accepts at most limits.feedbackItemsPerCard items for its card (413 beyond), and stores none of a refused request', async () => {
    const card = (await call(orderSelectService.id, requestFor('order-select'))).body.cards[0] as Card & { extension: Record<string, string> };
    const path = new URL(card.extension['dev.hookwarden.feedback-url']!).pathname;
    const item = (i: number) => ({ card: card.uuid, outcome: 'overridden', overrideReason: { userComment: `why ${i}` }, outcomeTimestamp: '2026-11-23T09:30:00Z' });
    const over = await request(t.server).post(path).send({ feedback: Array.from({ length: LIMITS.feedbackItemsPerCard + 1 }, (_, i) => item(i)) });
    expectOperationOutcome(over, 413, ['too-long']);
    const rows = () => t.app.get<Database>(DATABASE).query('SELECT id FROM cds_feedback WHERE card_uuid = $1', [card.uuid]);
    expect(await rows()).toEqual([]);
    await request(t.server).post(path).send({ feedback: Array.from({ length: LIMITS.feedbackItemsPerCard }, (_, i) => item(i)) }).expect(200);
    expect(await rows()).toHaveLength(LIMITS.feedbackItemsPerCard);
  });

  it('item 9: a JSON body over limits.bodyBytes → 413 on the CDS transport', async () => {
    const small = await createCdsTestApp(buildTestConfig({ ehrs: [ehr.config()], limits: { bodyBytes: 10_000 } }), [orderSelectService]);
    try {
      const path = `/cds-services/${orderSelectService.id}`;
      const body = requestFor('order-select', { extension: { padding: 'x'.repeat(20_000) } });
      const res = await request(small.server).post(path).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`).send(body);
      expectOperationOutcome(res, 413, ['too-long']);
    } finally {
      await small.close();
    }
  });
});
