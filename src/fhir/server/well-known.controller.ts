import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { openidConfiguration, smartConfiguration } from '../../smart/discovery.js';
import { smartUrls } from '../../smart/smart-urls.js';

/**
 * Discovery under the FHIR base: SMART conformance.md `{base}/.well-known/smart-configuration` and
 * OIDC `{issuer}/.well-known/openid-configuration` (the issuer is the FHIR base). Registered before
 * the FHIR REST routes so `/.well-known/*` never reaches `/:type/:id`. Any origin may read them
 * (SMART app-launch.md "Considerations for CORS").
 */
@Controller('fhir/.well-known')
export class WellKnownController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('smart-configuration')
  smart(@Res({ passthrough: true }) res: Response): Record<string, unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return smartConfiguration(smartUrls(this.config));
  }

  @Get('openid-configuration')
  openid(@Res({ passthrough: true }) res: Response): Record<string, unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return openidConfiguration(smartUrls(this.config));
  }
}
