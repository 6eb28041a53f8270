import { Module } from '@nestjs/common';

/** Authentication of CDS clients (EHR-signed JWTs). */
@Module({})
export class EhrAuthModule {}
