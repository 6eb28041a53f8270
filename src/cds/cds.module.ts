import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { services } from '../../hooks/index.js';
import { EhrAuthModule } from '../ehr-auth/ehr-auth.module.js';
import { FhirModule } from '../fhir/fhir.module.js';
import { CardPipeline } from './card-pipeline.js';
import { CdsController } from './cds.controller.js';
import { CdsService } from './cds.service.js';
import { CDS_SERVICES } from './cds-services.token.js';
import { CdsCorsMiddleware } from './cors.middleware.js';
import { FeedbackRepository } from './feedback.repository.js';
import { FeedbackService } from './feedback.service.js';
import { InvocationsRepository } from './invocations.repository.js';
import { ServiceRegistry } from './service-registry.js';

/** CDS Hooks transport: discovery, service calls, feedback, card post-processing. */
@Module({
  imports: [EhrAuthModule, FhirModule],
  controllers: [CdsController],
  providers: [
    { provide: CDS_SERVICES, useValue: services },
    ServiceRegistry,
    CardPipeline,
    InvocationsRepository,
    FeedbackRepository,
    CdsService,
    FeedbackService,
  ],
  exports: [CDS_SERVICES, ServiceRegistry, CardPipeline, FeedbackService],
})
export class CdsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(CdsCorsMiddleware)
      .forRoutes({ path: 'cds-services', method: RequestMethod.ALL }, { path: 'cds-services/*path', method: RequestMethod.ALL });
  }
}
