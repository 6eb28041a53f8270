import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { KeysService } from './keys.service.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';

/** The authorization server's public signing keys (RFC 7517 JWK Set; the discovery `jwks_uri`). Any origin may read it. */
@Controller('auth')
// Reading the keys can meet a database outage: a 503 temporarily_unavailable, not a bare 500.
@UseFilters(OAuthExceptionFilter)
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @Get('jwks')
  jwks(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return this.keys.jwks();
  }
}
