import request from 'supertest';
import { demoEhr, ensureDemoEhrKey } from '../src/config/demo.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// /openapi.json is generated from the controllers (@nestjs/swagger); this pins it to the routes the
// running app really answers, both ways.

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path/{param}` of every route Express has, minus `.all()` middleware mounts (CORS) and the document itself. */
function expressRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as unknown as { router: { stack: RouteLayer[] } };
  return express.router.stack.flatMap((layer) => {
    const route = layer.route;
    if (!route || route.path === '/openapi.json') return [];
    const methods = Object.keys(route.methods);
    if (methods.length > 10) return [];
    const path = route.path.replace(/[:*](\w+)/g, '{$1}');
    return methods.map((m) => `${m.toUpperCase()} ${path}`);
  });
}

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists exactly the routes that exist, each with its tag and credential', async () => {
    const t = await createTestApp(buildTestConfig());
    try {
      const { body: doc } = await request(t.server).get('/openapi.json').expect(200).expect('content-type', /application\/json/);
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toMatchObject({ title: 'Hookwarden', version: '0.1.0' });
      expect(doc.servers).toEqual([{ url: TEST_PUBLIC_URL }]);
      expect(documentedRoutes(doc).sort()).toEqual(expressRoutes(t).sort());
      for (const route of ['GET /cds-services', 'POST /cds-services/{id}', 'POST /cds-services/{id}/feedback', 'POST /cds-links/app-context', 'GET /cds-links/{token}', 'POST /cds-feedback/{token}', 'POST /auth/token', 'GET /fhir/{type}']) {
        expect(documentedRoutes(doc)).toContain(route);
      }
      expect(doc.paths['/cds-services'].get.security).toEqual([{ cdsClientJwt: [] }]);
      expect(doc.paths['/cds-services'].get.tags).toEqual(['CDS Hooks']);
      expect(doc.paths['/cds-links/app-context'].post.security).toEqual([{ appContext: [] }]);
      expect(doc.paths['/fhir/{type}'].get.security).toEqual([{ smartAccessToken: [] }]);
      expect(doc.paths['/fhir/metadata'].get.security).toBeUndefined();
      expect(doc.paths['/cds-links/{token}'].get.security).toBeUndefined();
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['appContext', 'cdsClientJwt', 'smartAccessToken']);
      const untagged = Object.values(doc.paths).flatMap((item) => Object.values(item as Record<string, { tags?: string[] }>)).filter((op) => op.tags?.length !== 1);
      expect(untagged).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('lists the demo console\'s routes in the demo configuration only', async () => {
    const base = buildTestConfig();
    const key = ensureDemoEhrKey(base.dataDir);
    const t = await createTestApp({ ...base, configPath: undefined, ehrs: [demoEhr(key)], demoEhrKey: key });
    try {
      const { body: doc } = await request(t.server).get('/openapi.json').expect(200);
      expect(documentedRoutes(doc).sort()).toEqual(expressRoutes(t).sort());
      expect(documentedRoutes(doc)).toEqual(expect.arrayContaining(['GET /', 'GET /console/api/scenarios', 'POST /console/api/ehr']));
      expect(doc.paths['/'].get.tags).toEqual(['Demo console']);
    } finally {
      await t.close();
    }
  });
});
