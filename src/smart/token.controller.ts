import { Body, Controller, HttpCode, Inject, Options, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { corsHeaders, type CorsPreflight } from '../http/cors.js';
import type { ClientCredentials } from './client-auth.js';
import { IntrospectionService } from './introspection.service.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';
import { clientOrigins } from './smart-urls.js';
import type { TokenResponse } from './token-issuer.js';
import { TokenService } from './token.service.js';

/** SMART app-launch.md "Considerations for CORS": registered client origins only at the token endpoint. */
const TOKEN_PREFLIGHT: CorsPreflight = { methods: 'POST', headers: 'Authorization, Content-Type' };

function credentials(req: Request, body: Record<string, unknown> | undefined): ClientCredentials {
  return { authorization: req.headers.authorization, body: body ?? {}, address: req.ip };
}

/**
 * Token, introspection and revocation endpoints (OAuth JSON transport). Responses carrying tokens
 * are never cached (SMART step 5).
 */
@Controller('auth')
@UseFilters(OAuthExceptionFilter)
export class TokenController {
  private readonly clientOrigins: ReadonlySet<string>;

  constructor(
    private readonly tokens: TokenService,
    private readonly introspection: IntrospectionService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clientOrigins = clientOrigins(config);
  }

  @Post('token')
  @HttpCode(200)
  async token(@Req() req: Request, @Body() body: Record<string, unknown>, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    this.noStore(res);
    res.set(corsHeaders(req.headers.origin, this.clientOrigins));
    return this.tokens.token({ ...credentials(req, body), contentType: req.headers['content-type'], query });
  }

  @Options('token')
  preflight(@Req() req: Request, @Res() res: Response): void {
    res.set(corsHeaders(req.headers.origin, this.clientOrigins, TOKEN_PREFLIGHT));
    res.status(204).end();
  }

  @Post('introspect')
  @HttpCode(200)
  async introspect(@Req() req: Request, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    this.noStore(res);
    return this.introspection.introspect(credentials(req, body));
  }

  @Post('revoke')
  @HttpCode(200)
  async revoke(@Req() req: Request, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<Record<string, never>> {
    this.noStore(res);
    await this.introspection.revoke(credentials(req, body));
    return {};
  }

  private noStore(res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
}
