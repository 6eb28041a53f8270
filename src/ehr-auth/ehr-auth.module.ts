import { Module } from '@nestjs/common';
import { CdsClientGuard } from './cds-client.guard.js';

/** Authentication of CDS clients (EHR-signed JWTs). */
@Module({
  providers: [CdsClientGuard],
  exports: [CdsClientGuard],
})
export class EhrAuthModule {}
