import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type LoggerService, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { CdsExceptionFilter } from '../../src/cds/cds-exception.filter.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { CdsClient } from '../../src/ehr-auth/cds-client.js';
import { CdsClientGuard } from '../../src/ehr-auth/cds-client.guard.js';
import { JWKS_CACHE_OPTIONS, type JwksCacheOptions } from '../../src/ehr-auth/ehr-keys.js';
import { DATABASE, type Database } from '../../src/store/database.js';
import { createTestApp, type TestApp } from './test-app.js';

/** `req.cdsClient` as JSON, with the matched EHR shown by its issuer. */
function clientOf(req: { cdsClient: CdsClient }) {
  return { ...req.cdsClient, ehr: req.cdsClient.ehr?.issuer };
}

/** Routes shaped like the CDS endpoints, guarded and rendered like them, answering with `req.cdsClient`. */
@Controller('ehr-auth-probe/cds-services')
@UseGuards(CdsClientGuard)
@UseFilters(CdsExceptionFilter)
class EhrAuthProbeController {
  @Get()
  discovery(@Req() req: { cdsClient: CdsClient }) {
    return clientOf(req);
  }

  @Post(':id')
  call(@Req() req: { cdsClient: CdsClient }) {
    return clientOf(req);
  }

  @Post(':id/feedback')
  feedback(@Req() req: { cdsClient: CdsClient }) {
    return clientOf(req);
  }
}

/** Path of the probe's discovery endpoint; a service is `${PROBE_PATH}/<id>`. */
export const PROBE_PATH = '/ehr-auth-probe/cds-services';

/**
 * Boots the real AppModule plus the probe routes. `db` makes several apps share one open database
 * (two instances on one store); `jwksCache` shortens the JWKS cache timings; `logger` captures logs.
 */
export async function createEhrAuthTestApp(
  config: AppConfig,
  opts: { db?: Database; jwksCache?: Partial<JwksCacheOptions>; logger?: LoggerService } = {},
): Promise<TestApp> {
  return createTestApp(config, {
    controllers: [EhrAuthProbeController],
    logger: opts.logger,
    customize: (builder) => {
      let b = builder;
      if (opts.db) b = b.overrideProvider(DATABASE).useValue(opts.db);
      if (opts.jwksCache) b = b.overrideProvider(JWKS_CACHE_OPTIONS).useValue(opts.jwksCache);
      return b;
    },
  });
}

/** A real HTTP server on 127.0.0.1 that counts the requests it receives (a JWKS endpoint or an attacker's). */
export interface CountingServer {
  url: string;
  requests: string[];
  /** What GET answers with (a JWK Set); change it to rotate keys. */
  body: unknown;
  /** The HTTP status it answers with; set 503 to play an EHR whose JWKS endpoint is down. */
  status: number;
  close(): Promise<void>;
}

export async function startCountingServer(body: unknown = { keys: [] }): Promise<CountingServer> {
  const state: CountingServer = { url: '', requests: [], body, status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    res.writeHead(state.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(state.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * Sends the same signed JWT to the service path of each server at once and returns the statuses.
 * Reused by the PostgreSQL suite: exactly one status must be 200 however many instances share the store.
 */
export async function raceSameJwt(servers: TestApp['server'][], path: string, jwt: string): Promise<number[]> {
  const responses = await Promise.all(
    servers.map((s) => request(s).post(path).set('Authorization', `Bearer ${jwt}`).send({})),
  );
  return responses.map((r) => r.status);
}
