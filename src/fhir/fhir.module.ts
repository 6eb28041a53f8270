import { Module } from '@nestjs/common';
import { PREFETCH_TIMEOUT_MS, PrefetchService } from './prefetch.service.js';

// The whole call should answer "on the order of 500 ms" (CDS Hooks); 2 s bounds a slow EHR FHIR server.
const DEFAULT_PREFETCH_TIMEOUT_MS = 2000;

/** Prefetch resolution for hook calls: templates, scope-checked fetching of missing keys, evaluation. */
@Module({
  providers: [{ provide: PREFETCH_TIMEOUT_MS, useValue: DEFAULT_PREFETCH_TIMEOUT_MS }, PrefetchService],
  exports: [PrefetchService],
})
export class FhirModule {}
