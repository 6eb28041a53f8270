// The "fair bare endpoint": the least a NestJS 12 service can do with an order-sign call — express
// JSON parse, one class-validator pass over the same DTOs Hookwarden validates, `{cards: []}` — and
// the same plus one EHR JWT verification per request (jose, cached CryptoKey) for each algorithm.
// Started by fair-bare.ts in its own pinned process.
import 'reflect-metadata';
import { Body, Controller, Headers, HttpCode, HttpException, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type CryptoKey, importJWK, type JWK, jwtVerify } from 'jose';
import { CdsRequestDto, OrderSignContextDto } from '../../../src/cds/dto/cds-request.dto.js';
import type { Alg } from '../lib/keys.js';

const keys = JSON.parse(process.env.BENCH_VERIFY_KEYS ?? '{}') as Record<Alg, JWK>;
/** By the route's `:alg` (lower case). */
const verifyKeys = new Map<string, { alg: Alg; key: CryptoKey }>();
for (const alg of ['ES384', 'RS384'] as const) verifyKeys.set(alg.toLowerCase(), { alg, key: (await importJWK(keys[alg], alg)) as CryptoKey });

async function valid<T extends object>(cls: ClassConstructor<T>, value: unknown): Promise<boolean> {
  return (await validate(plainToInstance(cls, value), { whitelist: false, forbidUnknownValues: false })).length === 0;
}

/** The request body and its order-sign context, each validated once, as a hook call does. */
async function validateOrderSign(body: unknown): Promise<void> {
  const context = (body as { context?: unknown } | undefined)?.context;
  if (!(await valid(CdsRequestDto, body)) || !(await valid(OrderSignContextDto, context))) throw new HttpException({ error: 'invalid body' }, 400);
}

async function verify(authorization: string | undefined, key: CryptoKey, alg: string): Promise<void> {
  try {
    await jwtVerify(authorization?.replace(/^Bearer /, '') ?? '', key, { algorithms: [alg], typ: 'JWT' });
  } catch {
    throw new HttpException({}, 401);
  }
}

const NO_CARDS = { cards: [] };

@Controller()
class FairBareController {
  @Post('bare')
  @HttpCode(200)
  async bare(@Body() body: unknown) {
    await validateOrderSign(body);
    return NO_CARDS;
  }

  /** `/bare/es384`, `/bare/rs384`: the same plus one verification of that algorithm. */
  @Post('bare/:alg')
  @HttpCode(200)
  async bareVerified(@Param('alg') alg: string, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    const verifier = verifyKeys.get(alg);
    if (!verifier) throw new HttpException({}, 404);
    await verify(authorization, verifier.key, verifier.alg);
    await validateOrderSign(body);
    return NO_CARDS;
  }
}

@Module({ controllers: [FairBareController] })
class FairBareModule {}

const app = await NestFactory.create<NestExpressApplication>(FairBareModule, { bodyParser: false, logger: ['error'] });
// The same parser settings as Hookwarden's configureApp.
app.useBodyParser('json', { limit: '5mb', type: ['application/json', 'application/fhir+json'] });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT), '127.0.0.1');
