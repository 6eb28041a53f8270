import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test FHIR server received. */
export interface RecordedFhirRequest {
  method: string;
  /** Path and query below the FHIR base, e.g. `MedicationRequest?patient=p1&status=active`. */
  url: string;
  authorization?: string;
}

/** What the server answers for one exact relative URL. */
export interface FhirRoute {
  status?: number;
  body?: unknown;
  /** Answer only after this many ms (to exercise the prefetch timeout). */
  delayMs?: number;
}

/** A real FHIR-ish HTTP server on 127.0.0.1 serving fixed routes under `/fhir` and recording every request. */
export interface FhirTestServer {
  /** FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`. */
  base: string;
  requests: RecordedFhirRequest[];
  routes: Map<string, FhirRoute>;
  close(): Promise<void>;
}

const NOT_FOUND = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] };

/** Starts the server; unknown URLs answer 404 with an OperationOutcome. */
export async function startFhirTestServer(routes: Record<string, FhirRoute> = {}): Promise<FhirTestServer> {
  const state: FhirTestServer = { base: '', requests: [], routes: new Map(Object.entries(routes)), close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '').replace(/^\/fhir\//, '');
    state.requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization });
    const route = state.routes.get(url) ?? { status: 404, body: NOT_FOUND };
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(route.status ?? 200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(route.body ?? {}));
    };
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A searchset Bundle of `resources` (optionally with a `next` link). */
export function searchset(resources: object[], next?: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}
