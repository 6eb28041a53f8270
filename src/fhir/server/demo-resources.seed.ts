import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DEMO_PARTITION } from '../../smart/patient-directory.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';

/**
 * Writes the demo configuration's records (the patients a standalone launch chooses from) at boot,
 * where absent: a restart, or instances starting together, keep what is there, local writes
 * included. A configuration file carries none, so a production database gets no demo rows.
 */
@Injectable()
export class DemoResourcesSeed implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'demoResources'>,
    @Inject(FhirResourcesRepository) private readonly resources: FhirResourcesRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.resources.insertMissing(DEMO_PARTITION, this.config.demoResources ?? []);
  }
}
