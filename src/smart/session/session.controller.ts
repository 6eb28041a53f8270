import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { setPageHeaders } from '../../http/html-page.js';
import { AuthorizeExceptionFilter } from '../authorize-exception.filter.js';
import { AuthSessions } from './auth-sessions.service.js';
import { postLogoutRedirect } from './logout-checks.js';
import { authCookieOptions, readCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from './session-cookies.js';
import { type SignInOutcome, SignInService } from './sign-in.service.js';
import { signedOutPage } from './sign-in-pages.js';
import { upstreamCallbackUrl } from './upstream-sign-in.js';

/**
 * The sign-in page, its local-account form, the upstream providers' buttons and callback, and the end_session_endpoint (OIDC RP-Initiated Logout 1.0).
 * Always 303 after a POST (RFC 9700 §4.12).
 */
@Controller('auth')
@UseFilters(AuthorizeExceptionFilter)
export class SessionController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: AuthSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  async page(@Req() req: Request, @Query('retry') retry: unknown, @Res() res: Response): Promise<void> {
    this.html(res, await this.signIn.page(readCookie(req, SIGN_IN_COOKIE), retry === '1'));
  }

  @Post('sign-in')
  async submit(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    this.send(res, await this.signIn.submitPassword(readCookie(req, SIGN_IN_COOKIE), body ?? {}, req.ip));
  }

  @Post('sign-in/upstream')
  async upstream(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    this.redirect(res, await this.signIn.startUpstream(readCookie(req, SIGN_IN_COOKIE), body ?? {}));
  }

  @Get('sign-in/callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, await this.signIn.finishUpstream(readCookie(req, SIGN_IN_COOKIE), new URL(req.originalUrl, upstreamCallbackUrl(this.config))));
  }

  @Get('logout')
  async logoutGet(@Req() req: Request, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.logout(req, query, res);
  }

  @Post('logout')
  async logoutPost(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.logout(req, body ?? {}, res);
  }

  private async logout(req: Request, params: Record<string, unknown>, res: Response): Promise<void> {
    await this.sessions.end(readCookie(req, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, authCookieOptions(this.config));
    const target = postLogoutRedirect(params, this.config.smartClients);
    if (target) this.redirect(res, target);
    else this.html(res, signedOutPage());
  }

  private redirect(res: Response, location: string): void {
    setPageHeaders(res, this.config.frameAncestors);
    res.status(303).setHeader('Location', location).end();
  }

  private send(res: Response, outcome: SignInOutcome): void {
    setPageHeaders(res, this.config.frameAncestors);
    if ('retry' in outcome) {
      res.status(303).setHeader('Location', `${this.config.publicUrl}/auth/sign-in?retry=1`).end();
      return;
    }
    res.clearCookie(SIGN_IN_COOKIE, authCookieOptions(this.config));
    res.cookie(SESSION_COOKIE, outcome.session, authCookieOptions(this.config, this.config.session.absoluteSeconds));
    res.status(303).setHeader('Location', `${this.config.publicUrl}${outcome.continueTo}`).end();
  }

  private html(res: Response, html: string): void {
    setPageHeaders(res, this.config.frameAncestors);
    res.status(200).send(html);
  }
}
