import request from 'supertest';
import type { CdsRequest, EvaluationData, ServiceDefinition } from '../../src/cds/cds-types.js';
import { createCdsTestApp } from './cds-app.js';
import { makeTestEhr, type TestEhr } from './ehr-jwt.js';
import { buildTestConfig, TEST_PUBLIC_URL, type TestApp } from './test-app.js';

/** What a recording service's evaluate() was given, per call. */
export interface SeenCall {
  request: CdsRequest;
  data: EvaluationData;
}

/** A patient-view service that records what reaches evaluate() and answers no cards. */
export function recordingService(
  seen: SeenCall[],
  def: Pick<ServiceDefinition, 'id' | 'prefetch' | 'scopes'>,
): ServiceDefinition {
  return {
    ...def,
    hook: 'patient-view',
    title: `Prefetch probe ${def.id}`,
    description: 'Records the prefetch data it is given.',
    evaluate(req, data) {
      seen.push({ request: req, data: structuredClone(data) });
      return { cards: [] };
    },
  };
}

/** The real app trusting one EHR whose allow-listed FHIR servers are `fhirServers`, calling as that EHR. */
export interface PrefetchTestApp {
  t: TestApp;
  ehr: TestEhr;
  call(serviceId: string, body: unknown): Promise<request.Response>;
}

export async function startPrefetchTestApp(services: ServiceDefinition[], fhirServers: string[]): Promise<PrefetchTestApp> {
  const ehr = await makeTestEhr();
  const t = await createCdsTestApp(buildTestConfig({ ehrs: [ehr.config({ fhirServers, clientId: 'hookwarden' })] }), services);
  return {
    t,
    ehr,
    async call(serviceId, body) {
      const path = `/cds-services/${serviceId}`;
      const jwt = await ehr.sign(`${TEST_PUBLIC_URL}${path}`);
      return request(t.server).post(path).set('Authorization', `Bearer ${jwt}`).set('Content-Type', 'application/json').send(body as object);
    },
  };
}
