import { createServer, type Server } from 'node:http';
import type { JWK } from 'jose';
import request from 'supertest';
import { clientAssertion, type ClientKey, createSmartApp, expectOAuthError, makeClientKey, type SmartTestApp } from './helpers/smart-harness.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('private_key_jwt with a registered JWKS URL (real HTTP JWKS server)', () => {
  let t: SmartTestApp;
  let jwksServer: Server;
  let jwksUrl: string;
  let served: { keys: JWK[] };
  let cacheControl = 'max-age=0';
  let fetches = 0;
  let key1: ClientKey;
  let key2: ClientKey;

  beforeAll(async () => {
    key1 = await makeClientKey('RS384');
    key2 = await makeClientKey('ES384');
    served = { keys: [key1.publicJwk] };
    jwksServer = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': cacheControl });
      res.end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;
    t = await createSmartApp({
      smartClients: [{ clientId: 'bulk', name: 'Bulk', scope: 'system/*.rs', auth: 'private_key_jwt', jwksUrl }],
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  async function backend(key: ClientKey, header: Record<string, unknown> = {}) {
    return request(t.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion('bulk', key, {}, header) });
  }

  it('J7 a jku equal to the registered JWKS URL is accepted, any other rejected', async () => {
    expect((await backend(key1, { jku: jwksUrl })).status).toBe(200);
    expectOAuthError(await backend(key1, { jku: `${jwksUrl}?x=1` }), 401, 'invalid_client', 'jku is not the registered JWKS URL');
  });

  it('J9 with max-age=0 a rotated key is fetched at once and the old key stops working', async () => {
    expect((await backend(key1)).status).toBe(200);
    served = { keys: [key2.publicJwk] };
    expect((await backend(key2)).status).toBe(200);
    expectOAuthError(await backend(key1), 401, 'invalid_client', 'no single matching key for kid');
  });

  it('J9 within max-age the JWKS is served from cache', async () => {
    cacheControl = 'max-age=300';
    served = { keys: [key1.publicJwk] };
    expect((await backend(key1)).status).toBe(200);
    const before = fetches;
    expect((await backend(key1)).status).toBe(200);
    expect(fetches).toBe(before);
  });
});
