import { Global, Module } from '@nestjs/common';
import { CdsClientJwtStrategy } from './cds-client-jwt.strategy.js';
import { CdsClientGuard } from './cds-client.guard.js';
import { DEFAULT_JWKS_CACHE, EhrKeys, JWKS_CACHE_OPTIONS } from './ehr-keys.js';
import { JtiStore } from './jti-store.js';
import { JtiRepository } from './jti.repository.js';

/**
 * Authentication of CDS clients (EHR-signed JWTs). Global so any controller can use
 * `@UseGuards(CdsClientGuard)` without importing this module.
 */
@Global()
@Module({
  providers: [{ provide: JWKS_CACHE_OPTIONS, useValue: DEFAULT_JWKS_CACHE }, EhrKeys, JtiRepository, JtiStore, CdsClientJwtStrategy, CdsClientGuard],
  exports: [CdsClientGuard, CdsClientJwtStrategy],
})
export class EhrAuthModule {}
