import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { openidConfiguration, SMART_STYLE, smartConfiguration } from './discovery.js';
import { smartUrls } from './smart-urls.js';

/**
 * Discovery under the FHIR base: SMART conformance.md `{base}/.well-known/smart-configuration` and
 * OIDC `{issuer}/.well-known/openid-configuration` (the issuer is the FHIR base), and the style
 * document. SmartModule is imported before FhirServerModule so `/fhir/.well-known/*` never reaches
 * `/fhir/:type/:id`. Any origin may read them (SMART app-launch.md "Considerations for CORS").
 */
@Controller()
export class WellKnownController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('fhir/.well-known/smart-configuration')
  smart(@Res({ passthrough: true }) res: Response): Record<string, unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return smartConfiguration(smartUrls(this.config));
  }

  @Get('fhir/.well-known/openid-configuration')
  openid(@Res({ passthrough: true }) res: Response): Record<string, unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return openidConfiguration(smartUrls(this.config));
  }

  /** The `smart_style_url` document of token responses (SMART app-launch.md "Styling"). */
  @Get('auth/smart-style.json')
  style(@Res({ passthrough: true }) res: Response): unknown {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return SMART_STYLE;
  }
}
