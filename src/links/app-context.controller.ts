import { Controller, Header, Headers, HttpCode, Post, UseFilters } from '@nestjs/common';
import { AppContextExceptionFilter } from './app-context.filter.js';
import { AppContextService } from './app-context.service.js';

/** Where an app the EHR launched from a `smart` link redeems the link's appContext (DESIGN.md flow 2). */
@Controller('cds-links')
@UseFilters(AppContextExceptionFilter)
export class AppContextController {
  constructor(private readonly contexts: AppContextService) {}

  /** Bearer = the link's appContext; answers the card's context once. */
  @Post('app-context')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  redeem(@Headers('authorization') authorization: string | undefined) {
    return this.contexts.redeem(authorization);
  }
}
