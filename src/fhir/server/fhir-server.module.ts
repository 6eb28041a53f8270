import { Module } from '@nestjs/common';
import { SmartModule } from '../../smart/smart.module.js';
import { WellKnownController } from './well-known.controller.js';

/** The SMART-protected /fhir endpoint for launched apps, with the SMART discovery documents under it. */
@Module({
  imports: [SmartModule],
  controllers: [WellKnownController],
})
export class FhirServerModule {}
