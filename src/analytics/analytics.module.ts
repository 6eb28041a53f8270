import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HousekeepingService } from '../smart/housekeeping.service.js';
import { SmartModule } from '../smart/smart.module.js';
import { AnalyticsApi } from './analytics-api.js';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsGuard } from './analytics.guard.js';
import { AnalyticsService } from './analytics.service.js';
import { RollupsRepository } from './rollups.repository.js';

/** Service owners' analytics (DESIGN.md flow 6): rollups, retention, the JSON/CSV API and the dashboard. */
@Module({
  imports: [SmartModule],
  controllers: [AnalyticsController],
  providers: [RollupsRepository, AnalyticsService, AnalyticsApi, AnalyticsGuard],
  exports: [AnalyticsService],
})
export class AnalyticsModule implements OnModuleInit {
  constructor(
    @Inject(AnalyticsService) private readonly analytics: AnalyticsService,
    @Inject(HousekeepingService) private readonly housekeeping: HousekeepingService,
  ) {}

  onModuleInit(): void {
    this.housekeeping.register((now) => this.analytics.purge(now));
  }
}
