import { Body, Controller, Get, HttpCode, Param, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { CdsClient } from '../ehr-auth/cds-client.js';
import { CdsClientGuard } from '../ehr-auth/cds-client.guard.js';
import { CdsExceptionFilter } from './cds-exception.filter.js';
import { CdsService } from './cds.service.js';
import { FeedbackService } from './feedback.service.js';

type CdsHttpRequest = { cdsClient: CdsClient };

/** CDS Hooks endpoints (§Discovery, §Calling a CDS Service, §Feedback); every call authenticates the EHR. */
@Controller('cds-services')
@UseGuards(CdsClientGuard)
@UseFilters(CdsExceptionFilter)
export class CdsController {
  constructor(
    @Inject(CdsService) private readonly cds: CdsService,
    @Inject(FeedbackService) private readonly feedback: FeedbackService,
  ) {}

  @Get()
  discover() {
    return this.cds.discover();
  }

  @Post(':id')
  @HttpCode(200)
  call(@Param('id') id: string, @Body() body: unknown, @Req() req: CdsHttpRequest) {
    return this.cds.call(id, body, req.cdsClient);
  }

  @Post(':id/feedback')
  @HttpCode(200)
  receiveFeedback(@Param('id') id: string, @Body() body: unknown, @Req() req: CdsHttpRequest) {
    return this.feedback.receive(id, body, req.cdsClient);
  }
}
