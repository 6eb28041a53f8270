import { Controller, Get, Inject, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnalyticsExceptionFilter } from './analytics-exception.filter.js';
import { AnalyticsGuard } from './analytics.guard.js';
import { AnalyticsApi } from './analytics-api.js';

/** DESIGN.md §Analytics contract: `GET /analytics/v1/summary` and `/timeseries`, JSON or CSV, behind `analytics.read`. */
@Controller('analytics/v1')
@UseFilters(AnalyticsExceptionFilter)
@UseGuards(AnalyticsGuard)
export class AnalyticsController {
  constructor(@Inject(AnalyticsApi) private readonly api: AnalyticsApi) {}

  @Get('summary')
  async summary(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.api.send(res, await this.api.summary(query, req.headers.accept));
  }

  @Get('timeseries')
  async timeseries(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.api.send(res, await this.api.timeseries(query, req.headers.accept));
  }
}
