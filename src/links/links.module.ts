import { Inject, type MiddlewareConsumer, Module, type NestModule, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { CardPipeline } from '../cds/card-pipeline.js';
import { CdsModule } from '../cds/cds.module.js';
import { HousekeepingService } from '../smart/housekeeping.service.js';
import { SmartModule } from '../smart/smart.module.js';
import { AppContextController } from './app-context.controller.js';
import { AppContextCorsMiddleware } from './app-context-cors.middleware.js';
import { AppContextService } from './app-context.service.js';
import { AppContextsRepository } from './app-contexts.repository.js';
import { CardLaunchController } from './card-launch.controller.js';
import { CardLaunchService } from './card-launch.service.js';
import { CardLinksController } from './card-links.controller.js';
import { CardLinksRepository } from './card-links.repository.js';
import { CardLinksService } from './card-links.service.js';
import { FeedbackUrlController } from './feedback-url.controller.js';
import { LaunchSnapshotStep } from './launch-snapshot.step.js';
import { LinkEventsRepository } from './link-events.repository.js';
import { SecretsRepository } from '../signing/secrets.repository.js';
import { SecretsService } from '../signing/secrets.service.js';
import { SignedFeedbackService } from './signed-feedback.service.js';

/** Signed card link and feedback URLs and the click-through endpoint (DESIGN.md flows 2 and 6). */
@Module({
  imports: [CdsModule, SmartModule],
  controllers: [AppContextController, CardLinksController, CardLaunchController, FeedbackUrlController],
  providers: [
    AppContextsRepository,
    AppContextService,
    SecretsRepository,
    SecretsService,
    CardLinksRepository,
    LinkEventsRepository,
    CardLinksService,
    CardLaunchService,
    SignedFeedbackService,
    LaunchSnapshotStep,
  ],
})
export class LinksModule implements OnModuleInit, NestModule {
  constructor(
    @Inject(CardPipeline) private readonly pipeline: CardPipeline,
    @Inject(LaunchSnapshotStep) private readonly snapshot: LaunchSnapshotStep,
    @Inject(CardLinksService) private readonly links: CardLinksService,
    @Inject(HousekeepingService) private readonly housekeeping: HousekeepingService,
  ) {}

  /** Order matters: the snapshot step needs `Link.app`, which signing replaces. */
  onModuleInit(): void {
    this.pipeline.use((cards, ctx) => this.snapshot.run(cards, ctx));
    this.pipeline.use((cards, ctx) => this.links.sign(cards, ctx));
    this.housekeeping.register((now) => this.links.purge(now));
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AppContextCorsMiddleware).forRoutes({ path: 'cds-links/app-context', method: RequestMethod.ALL });
  }
}
