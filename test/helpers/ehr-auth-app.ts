import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type LoggerService, Post, Req, UseGuards } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { CdsClient } from '../../src/ehr-auth/cds-client.js';
import { CdsClientGuard } from '../../src/ehr-auth/cds-client.guard.js';
import { JWKS_CACHE_OPTIONS, type JwksCacheOptions } from '../../src/ehr-auth/ehr-keys.js';
import { configureApp } from '../../src/http/configure-app.js';
import { DATABASE, type Database } from '../../src/store/database.js';
import type { TestApp } from './test-app.js';

/** Routes shaped like the CDS endpoints, guarded by CdsClientGuard, answering with `req.cdsClient`. */
@Controller('ehr-auth-probe/cds-services')
@UseGuards(CdsClientGuard)
class EhrAuthProbeController {
  @Get()
  discovery(@Req() req: { cdsClient: CdsClient }) {
    return { ...req.cdsClient, ehr: req.cdsClient.ehr?.issuer };
  }

  @Post(':id')
  call(@Req() req: { cdsClient: CdsClient }) {
    return { ...req.cdsClient, ehr: req.cdsClient.ehr?.issuer };
  }

  @Post(':id/feedback')
  feedback(@Req() req: { cdsClient: CdsClient }) {
    return { ...req.cdsClient, ehr: req.cdsClient.ehr?.issuer };
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
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)], controllers: [EhrAuthProbeController] });
  if (opts.db) builder = builder.overrideProvider(DATABASE).useValue(opts.db);
  if (opts.jwksCache) builder = builder.overrideProvider(JWKS_CACHE_OPTIONS).useValue(opts.jwksCache);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: opts.logger ?? false });
  configureApp(app);
  await app.init();
  return {
    app,
    config,
    server: app.getHttpServer(),
    async close() {
      await app.close();
      if (config.dataDir.includes('hookwarden-test-')) rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
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
