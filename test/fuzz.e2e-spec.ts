import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { FIXTURES } from '../hooks/medication-safety/testing/fixtures.js';
import type { Card } from '../src/cds/cds-types.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { startFhirTestServer, type FhirTestServer } from './helpers/fhir-test-server.js';
import { APP_REDIRECT, createSmartApp, FHIR_BASE, launchedAccessToken, pkce, type SmartTestApp } from './helpers/smart-harness.js';
import { TEST_PUBLIC_URL } from './helpers/test-app.js';

// Issue 10 "Must show": a property-based fuzz of every input surface an attacker reaches — hook bodies,
// prefetch resources (sent and fetched), feedback (JWT and signed URL), /fhir paths and queries, and
// authorization parameters — against the real app. Properties: never a 5xx, never a hang (every request
// has a deadline), and the authorization endpoint never redirects anywhere but the registered
// redirect_uri or its own pages. A failure prints fast-check's seed and shrunk counterexample.
const ORDER_SIGN = 'medication-safety-order-sign';
const STATIN_MACROLIDE = FIXTURES['not-ok']['order-sign-statin-macrolide'];
const PATIENT = STATIN_MACROLIDE.context.patientId;
const DEADLINE = { response: 10_000, deadline: 15_000 };
/**
 * Cases per property (3,300 in all), and the most time each may take: on a loaded machine a property
 * stops early rather than push the suite past a minute (fast-check's interruptAfterTimeLimit), and a
 * stopped run is not a failure.
 */
const RUNS = { hook: 600, prefetch: 300, feedback: 600, fhir: 900, authorize: 900 };
const budget = (numRuns: number, ms: number): fc.Parameters<unknown> => ({ numRuns, interruptAfterTimeLimit: ms, markInterruptAsFailure: false });

/** Text the edge must handle: NUL, unpaired surrogates, markup, huge code points, JSON-looking strings. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '💊', '<script>', '{{context.patientId}}', '../..', '%00', '', ' ', 'null', '0000-01-01T00:00:00Z'),
);

/** Any JSON value, with hostile strings in it. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Places in a hook call the medication-safety service reads, as paths from the body's root. */
const HOOK_PATHS = [
  ['hook'],
  ['hookInstance'],
  ['context'],
  ['context', 'userId'],
  ['context', 'patientId'],
  ['context', 'encounterId'],
  ['context', 'draftOrders'],
  ['context', 'draftOrders', 'entry'],
  ['context', 'draftOrders', 'entry', 0],
  ['context', 'draftOrders', 'entry', 0, 'resource'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'id'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'subject'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept', 'coding'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept', 'coding', 0],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept', 'coding', 0, 'code'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept', 'text'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationReference'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'contained'],
  ['prefetch'],
  ['prefetch', 'medicationRequests'],
  ['prefetch', 'medicationRequests', 'entry'],
  ['prefetch', 'medicationRequests', 'entry', 0, 'resource'],
  ['prefetch', 'medicationRequests', 'entry', 0, 'resource', 'status'],
  ['prefetch', 'medicationStatements', 'entry', 0],
  ['prefetch', 'allergyIntolerances'],
  ['prefetch', 'allergyIntolerances', 'entry', 0, 'resource', 'code'],
  ['prefetch', 'allergyIntolerances', 'entry', 0, 'resource', 'clinicalStatus'],
  ['prefetch', 'allergyIntolerances', 'entry', 0, 'resource', 'patient'],
  ['prefetch', 'patient'],
  ['fhirServer'],
  ['fhirAuthorization'],
  ['extension'],
] as const;

type Path = readonly (string | number)[];

/** Sets `value` at `path` in `root`, creating objects on the way (so a mutation never silently misses). */
function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: unknown = root;
  for (const [i, key] of path.entries()) {
    if (typeof node !== 'object' || node === null) return;
    const holder = node as Record<string | number, unknown>;
    if (i === path.length - 1) holder[key] = value;
    else {
      if (typeof holder[key] !== 'object' || holder[key] === null) holder[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = holder[key];
    }
  }
}

const mutations = fc.array(fc.tuple(fc.constantFrom(...HOOK_PATHS), anyJson), { minLength: 1, maxLength: 4 });

/** The statin + macrolide call with `edits` applied. */
function mutatedCall(edits: [Path, unknown][]): Record<string, unknown> {
  const body = structuredClone(STATIN_MACROLIDE) as unknown as Record<string, unknown>;
  body.hookInstance = randomUUID();
  for (const [path, value] of edits) setAt(body, path, value);
  return body;
}

/** A FHIR resource-ish value: usually the right resourceType with hostile fields, sometimes anything. */
const resourceLike = (type: string) =>
  fc.oneof(
    fc.record({ resourceType: fc.constant(type), id: hostileString, code: anyJson, patient: anyJson, subject: anyJson, status: anyJson, medicationCodeableConcept: anyJson }, { requiredKeys: ['resourceType'] }),
    anyJson,
  );
const searchsetLike = (type: string) =>
  fc.oneof(
    fc.record({ resourceType: fc.constant('Bundle'), type: fc.constant('searchset'), entry: fc.array(fc.oneof(fc.record({ resource: resourceLike(type) }), anyJson), { maxLength: 5 }) }),
    fc.record({ resourceType: fc.constant('Bundle'), entry: anyJson }),
    resourceLike(type),
  );

const feedbackItem = (card: string, suggestion: string) =>
  fc.record(
    {
      card: fc.oneof(fc.constant(card), hostileString),
      outcome: fc.oneof(fc.constantFrom('accepted', 'overridden'), anyJson),
      acceptedSuggestions: fc.oneof(fc.constant([{ id: suggestion }]), anyJson),
      overrideReason: fc.oneof(fc.record({ reason: fc.record({ system: hostileString, code: hostileString, display: hostileString }), userComment: hostileString }), anyJson),
      outcomeTimestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString, anyJson),
      extension: anyJson,
    },
    { requiredKeys: [] },
  );

/** encodeURIComponent, or for text it cannot encode (an unpaired surrogate) the raw bytes of one. */
function encodedOrRaw(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

/** A path segment as it may appear in a URL: encoded text, raw percent sequences (valid or not), dot segments. */
const urlSegment = fc.oneof(
  fc.constantFrom('Patient', 'MedicationRequest', 'Observation', 'AllergyIntolerance', 'metadata', '.well-known', 'smart-configuration', 'demo-patient-1', 'demo-patient-2', '$validate', '_history'),
  hostileString.map(encodedOrRaw),
  fc.constantFrom('%00', '%ED%A0%80', '%FF', '%', '%zz', '..', '.', '%2F', '%2e%2e'),
);
const queryPart = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('patient', 'subject', '_id', '_count', 'code', 'category', 'status', 'name:contains', '_include', 'date'), urlSegment),
      fc.oneof(urlSegment, fc.integer().map(String), fc.constantFrom('Patient/demo-patient-1', 'http://loinc.org|8867-4', '-1', '1e308', '')),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

/** Authorization parameters: each usually valid, sometimes hostile or absent. */
const AUTHORIZE_VALID: Record<string, string> = {
  response_type: 'code',
  client_id: 'public-app',
  redirect_uri: APP_REDIRECT,
  scope: 'launch/patient openid fhirUser offline_access patient/*.rs',
  aud: FHIR_BASE,
  code_challenge_method: 'S256',
};
const authorizeParams = fc.record(
  {
    ...Object.fromEntries(Object.entries(AUTHORIZE_VALID).map(([k, v]) => [k, fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 1, arbitrary: hostileString })])),
    state: hostileString,
    nonce: hostileString,
    launch: hostileString,
    code_challenge: fc.oneof(fc.constant('use-a-fresh-one'), hostileString),
    authorization_details: fc.oneof(hostileString, anyJson.map((v) => JSON.stringify(v) ?? '')),
    resource: hostileString,
  },
  { requiredKeys: [] },
);

/** What a response may be: anything but a server error. */
const expectNo5xx = (res: request.Response, what: string) => {
  if (res.status >= 500) throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 200)}`);
};

describe('fuzz: no input makes the service fail or hang', () => {
  let t: SmartTestApp;
  let ehr: TestEhr;
  let fhir: FhirTestServer;
  let fetchedBody: unknown = {};
  let accessToken: string;
  let card: Card & { extension: Record<string, string> };

  const hookCall = async (body: unknown) => {
    const path = `/cds-services/${ORDER_SIGN}`;
    return request(t.server).post(path).timeout(DEADLINE).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`).set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
  };

  beforeAll(async () => {
    ehr = await makeTestEhr();
    fhir = await startFhirTestServer();
    t = await createSmartApp({ ehrs: [ehr.config({ fhirServers: [fhir.base], clientId: 'hookwarden' })] });
    // Every fetch answers whatever the current case put there.
    for (const url of [`MedicationRequest?patient=${PATIENT}&status=active`, `MedicationStatement?patient=${PATIENT}&status=active`, `AllergyIntolerance?patient=${PATIENT}`, `Patient/${PATIENT}`]) {
      fhir.routes.set(url, {
        get body() {
          return fetchedBody;
        },
      });
    }
    accessToken = await launchedAccessToken(t);
    const issued = await hookCall(mutatedCall([[['hook'], 'order-sign']]));
    if (issued.status !== 200) throw new Error(`the seed call answered ${issued.status}`);
    card = issued.body.cards[0];
  });
  afterAll(async () => {
    await t.close();
    await fhir.close();
  });

  it('fuzz: hook bodies with hostile values at the places the service reads → never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (edits) => expectNo5xx(await hookCall(mutatedCall(edits as [Path, unknown][])), 'hook call')),
      budget(RUNS.hook, 20_000),
    );
  });

  it('fuzz: prefetch resources fetched from the EHR’s FHIR server, whatever it answers → never 5xx', async () => {
    const fetched = fc.oneof(searchsetLike('AllergyIntolerance'), searchsetLike('MedicationRequest'), anyJson);
    await fc.assert(
      fc.asyncProperty(fetched, fc.subarray(['medicationRequests', 'medicationStatements', 'allergyIntolerances', 'patient']), async (body, missing) => {
        fetchedBody = body;
        const call = mutatedCall([
          [['fhirServer'], fhir.base],
          [['fhirAuthorization'], { access_token: 'fuzz-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'hookwarden', patient: PATIENT }],
        ]);
        for (const key of missing) delete (call.prefetch as Record<string, unknown>)[key];
        expectNo5xx(await hookCall(call), 'hook call with fetched prefetch');
      }),
      budget(RUNS.prefetch, 12_000),
    );
  });

  it('fuzz: feedback on the JWT endpoint and on the card’s signed URL → never 5xx', async () => {
    const signed = new URL(card.extension['dev.hookwarden.feedback-url']!).pathname;
    const jwtPath = `/cds-services/${ORDER_SIGN}/feedback`;
    const suggestion = card.suggestions?.[0]?.uuid ?? 'none';
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.record({ feedback: fc.array(feedbackItem(card.uuid!, suggestion), { maxLength: 4 }) }), anyJson), fc.boolean(), async (body, viaJwt) => {
        const res = viaJwt
          ? await request(t.server).post(jwtPath).timeout(DEADLINE).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${jwtPath}`)}`).set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null')
          : await request(t.server).post(signed).timeout(DEADLINE).set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
        expectNo5xx(res, viaJwt ? 'JWT feedback' : 'signed feedback');
      }),
      budget(RUNS.feedback, 8000),
    );
  });

  it('fuzz: /fhir paths and queries with a valid token → never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(urlSegment, { minLength: 1, maxLength: 3 }), queryPart, fc.constantFrom('GET', 'POST', 'PUT'), anyJson, async (segments, query, method, body) => {
        const url = `/fhir/${segments.join('/')}${query ? `?${query}` : ''}`;
        const req = method === 'GET' ? request(t.server).get(url) : method === 'POST' ? request(t.server).post(url) : request(t.server).put(url);
        const res = await req.timeout(DEADLINE).set('Authorization', `Bearer ${accessToken}`).set('Content-Type', 'application/fhir+json').send(method === 'GET' ? undefined : (JSON.stringify(body) ?? 'null'));
        expectNo5xx(res, `${method} ${url}`);
      }),
      budget(RUNS.fhir, 8000),
    );
  });

  it('fuzz: authorization parameters (GET and POST, no login) → never 5xx, and never a redirect to anywhere but the registered redirect_uri or the interaction page', async () => {
    await fc.assert(
      fc.asyncProperty(authorizeParams, fc.boolean(), async (raw, viaPost) => {
        const params = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
        if (params.code_challenge === 'use-a-fresh-one') params.code_challenge = pkce().challenge;
        const res = viaPost
          ? await request(t.server).post('/auth/authorize').timeout(DEADLINE).type('form').send(params)
          : await request(t.server).get('/auth/authorize').timeout(DEADLINE).query(params);
        expectNo5xx(res, `authorize ${JSON.stringify(params)}`);
        const location = res.headers.location as string | undefined;
        if (location !== undefined) {
          const target = new URL(location);
          expect([`${target.origin}${target.pathname}`]).toSatisfy(([where]: string[]) => where === APP_REDIRECT || where === `${TEST_PUBLIC_URL}/auth/interaction`);
        }
      }),
      budget(RUNS.authorize, 8000),
    );
  });
});
