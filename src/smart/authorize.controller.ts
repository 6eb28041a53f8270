import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthorizeExceptionFilter } from './authorize-exception.filter.js';
import { type AuthorizeOutcome, AuthorizeService } from './authorize.service.js';
import { setPageHeaders } from '../http/html-page.js';
import { authCookieOptions, readCookie, SESSION_COOKIE } from './session/session-cookies.js';

const COOKIE = 'hw_authz';

/** The opaque transaction id from the cookie header (besides it, only the sign-in session's id lives in cookies). */
function transactionId(req: Request): string | undefined {
  return readCookie(req, COOKIE);
}

/**
 * Authorization endpoint, GET and POST (SMART app-launch.md: "SHALL support ... GET and POST"), and
 * the interaction pages. Always 303 after a POST (RFC 9700 §4.12); no CORS (RFC 9700 §2.6).
 */
@Controller('auth')
@UseFilters(AuthorizeExceptionFilter)
export class AuthorizeController {
  constructor(
    private readonly authorize: AuthorizeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('authorize')
  async get(@Req() req: Request, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    this.send(res, await this.authorize.start(query, readCookie(req, SESSION_COOKIE)));
  }

  @Post('authorize')
  async post(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    this.send(res, await this.authorize.start(body ?? {}, readCookie(req, SESSION_COOKIE)));
  }

  @Get('interaction')
  async page(@Req() req: Request, @Query('retry') retry: unknown, @Res() res: Response): Promise<void> {
    const page = await this.authorize.page(transactionId(req), retry === '1');
    setPageHeaders(res, this.config.frameAncestors);
    res.status(200).send(page.html);
  }

  @Post('interaction')
  async submit(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    this.send(res, await this.authorize.submit(transactionId(req), body ?? {}, req.ip));
  }

  private send(res: Response, outcome: AuthorizeOutcome): void {
    setPageHeaders(res, this.config.frameAncestors);
    if (outcome.session) res.cookie(SESSION_COOKIE, outcome.session, authCookieOptions(this.config, this.config.session.absoluteSeconds));
    if ('redirect' in outcome) {
      res.clearCookie(COOKIE, authCookieOptions(this.config));
      res.status(303).setHeader('Location', outcome.redirect).end();
      return;
    }
    res.cookie(COOKIE, outcome.transaction, authCookieOptions(this.config));
    res.status(303).setHeader('Location', `${this.config.publicUrl}/auth/interaction${outcome.retry ? '?retry=1' : ''}`).end();
  }
}
