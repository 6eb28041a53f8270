import { Module } from '@nestjs/common';
import { PrefetchService } from './prefetch.service.js';

/** Prefetch resolution for hook calls. */
@Module({
  providers: [PrefetchService],
  exports: [PrefetchService],
})
export class FhirModule {}
