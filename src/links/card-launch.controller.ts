import { Controller, Get, Header, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CardLaunchService } from './card-launch.service.js';
import { LinkPageFilter } from './link-page.filter.js';
import { readCookie, SESSION_COOKIE, sendToSignIn } from '../smart/session/session-cookies.js';

/**
 * The second hop of a card link bound to its user, under /auth so the authorization server's session
 * cookie comes along: a launch for the hook's user, the sign-in page first when nobody is signed in, a
 * refusal page for anyone else (never a redirect).
 */
@Controller('auth/cds-links')
@UseFilters(LinkPageFilter)
export class CardLaunchController {
  constructor(
    private readonly launches: CardLaunchService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, await this.launches.open(token, readCookie(req, SESSION_COOKIE)));
  }

  private send(res: Response, next: { launch: string } | { signIn: string }): void {
    if ('signIn' in next) sendToSignIn(res, this.config, next.signIn);
    else res.status(303).setHeader('Location', next.launch).end();
  }
}
