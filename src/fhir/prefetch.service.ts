import { Injectable } from '@nestjs/common';
import type { CdsRequest, EvaluationData, FhirResource, ServiceDefinition } from '../cds/cds-types.js';
import type { CdsClient } from '../ehr-auth/cds-client.js';

export interface PrefetchResult {
  data: EvaluationData;
  /** Entries removed by the scope evaluator; recorded, never passed to evaluate(). */
  dropped: number;
}

/** Resolves a service's prefetch for one call (DESIGN.md flow 1). */
@Injectable()
export class PrefetchService {
  async resolve(_service: ServiceDefinition, request: CdsRequest, _client: CdsClient): Promise<PrefetchResult> {
    return { data: { prefetch: (request.prefetch ?? {}) as Record<string, FhirResource | null>, effectiveScopes: [] }, dropped: 0 };
  }
}
