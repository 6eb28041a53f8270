import { Controller, Get, Header, Param, Redirect, UseFilters } from '@nestjs/common';
import { CardLinksService } from './card-links.service.js';
import { LinkPageFilter } from './link-page.filter.js';

/** The click-through endpoint behind every card app link (DESIGN.md flow 2). */
@Controller('cds-links')
@UseFilters(LinkPageFilter)
export class CardLinksController {
  constructor(private readonly links: CardLinksService) {}

  /** 303 to the app's registered launch URL with `iss` and a fresh single-use `launch`. */
  @Get(':token')
  @Redirect(undefined, 303)
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async click(@Param('token') token: string): Promise<{ url: string }> {
    return { url: await this.links.click(token) };
  }
}
