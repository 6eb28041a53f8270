import { Module } from '@nestjs/common';

/** Signed link and feedback URLs, click events, aggregations and the dashboard. */
@Module({})
export class AnalyticsModule {}
