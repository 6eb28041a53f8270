import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { CdsExceptionFilter } from '../cds/cds-exception.filter.js';
import { SignedFeedbackService } from './signed-feedback.service.js';

/** Per-card signed feedback URLs for clients that cannot sign JWTs (DESIGN.md flow 6); errors answer like the CDS endpoints. */
@Controller('cds-feedback')
@UseFilters(CdsExceptionFilter)
export class FeedbackUrlController {
  constructor(private readonly feedback: SignedFeedbackService) {}

  /** Accepts the spec's `{feedback:[…]}` body (CDS Hooks §Feedback) for the one card the URL is bound to. */
  @Post(':token')
  @HttpCode(200)
  receive(@Param('token') token: string, @Body() body: unknown) {
    return this.feedback.receive(token, body);
  }
}
