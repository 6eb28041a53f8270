import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidIssue, NotFoundIssue, UpstreamIssue } from './fhir-errors.js';
import { parseSearch } from './search.js';
import { UpstreamFhirSource } from './upstream-fhir-source.js';

// A real loopback server answering raw bytes, for the failures a well-formed FHIR test server never produces.
interface Raw {
  status: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

describe('UpstreamFhirSource', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, Raw>();
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const route = routes.get(req.url ?? '') ?? { status: 404, body: '{}' };
      const answer = () => {
        if (!res.destroyed) res.writeHead(route.status, { 'content-type': 'application/fhir+json', ...route.headers }).end(route.body);
      };
      if (route.delayMs) setTimeout(answer, route.delayMs);
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/`;
    routes.set('/fhir/Patient/p1', { status: 200, body: JSON.stringify({ resourceType: 'Patient', id: 'p1' }) });
    routes.set('/fhir/Patient/bad-json', { status: 200, body: '{"resourceType": "Patient", ' });
    routes.set('/fhir/Patient/slow', { status: 200, body: JSON.stringify({ resourceType: 'Patient', id: 'slow' }), delayMs: 5000 });
    routes.set('/fhir/Patient/moved', { status: 302, body: '', headers: { location: 'http://127.0.0.2/steal' } });
    routes.set('/fhir/Patient/gone', { status: 410, body: '{}' });
    routes.set('/fhir/Patient/huge', { status: 200, body: JSON.stringify({ resourceType: 'Patient', id: 'huge', text: 'x'.repeat(20_000) }) });
    routes.set('/fhir/Patient/deep', { status: 200, body: `{"resourceType":"Patient","id":"deep","extension":${'['.repeat(5000)}${']'.repeat(5000)}}` });
    routes.set('/fhir/Patient/nul', { status: 200, body: JSON.stringify({ resourceType: 'Patient', id: 'nul', name: [{ text: 'a\u0000b' }] }) });
    routes.set('/fhir/Patient?_id=p1', { status: 400, body: '{"resourceType":"OperationOutcome"}' });
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const source = (bearerToken?: string) => new UpstreamFhirSource({ baseUrl: base, bearerToken }, 1000);

  it('sends no Authorization without a configured bearerToken, and trims the base URL slash', async () => {
    expect(await source().read('demo', 'Patient', 'p1')).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/fhir/Patient/p1');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers.accept).toBe('application/fhir+json');
  });

  it('an answer over the byte bound, nested too deep or holding unstorable text → 502, never read whole or passed on', async () => {
    const bounded = new UpstreamFhirSource({ baseUrl: base }, 1000, { maxBytes: 10_000, maxDepth: 100, maxArrayItems: 100 });
    for (const id of ['huge', 'deep', 'nul']) await expect(bounded.read('demo', 'Patient', id)).rejects.toBeInstanceOf(UpstreamIssue);
    expect(await bounded.read('demo', 'Patient', 'p1')).toEqual({ resourceType: 'Patient', id: 'p1' });
  });

  it('404/410 → undefined on read; 400 → invalid', async () => {
    expect(await source('t').read('demo', 'Patient', 'unknown')).toBeUndefined();
    expect(await source('t').read('demo', 'Patient', 'gone')).toBeUndefined();
    await expect(source('t').search('demo', 'Patient', parseSearch({ _id: 'p1' }))).rejects.toBeInstanceOf(InvalidIssue);
    await expect(source('t').search('demo', 'Condition', parseSearch({}))).rejects.toBeInstanceOf(NotFoundIssue);
  });

  it.each(['bad-json', 'slow', 'moved'])('%s → 502', async (id) => {
    await expect(source('t').read('demo', 'Patient', id)).rejects.toBeInstanceOf(UpstreamIssue);
  });

  it('a redirect is never followed, so the bearer token stays with the configured server', async () => {
    await expect(source('secret').read('demo', 'Patient', 'moved')).rejects.toBeInstanceOf(UpstreamIssue);
    expect(seen.map((s) => s.url)).toEqual(['/fhir/Patient/moved']);
  });
});
