import { Body, Controller, Get, HttpCode, Inject, Options, Param, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { corsHeaders, type CorsPreflight } from '../../http/cors.js';
import type { OperationOutcome } from '../../http/operation-outcome.js';
import type { FhirResource } from '../../scopes/index.js';
import type { ActiveAccessToken } from '../../smart/access-token.verifier.js';
import { clientOrigins, smartUrls } from '../../smart/smart-urls.js';
import { capabilityStatement } from './capability-statement.js';
import { FhirExceptionFilter } from './fhir-exception.filter.js';
import { FhirService, type SearchBundle } from './fhir.service.js';
import { SmartBearerGuard } from '../../smart/smart-bearer.guard.js';

type AuthedRequest = Request & { user: ActiveAccessToken };

/** What a browser app on a registered origin may send to /fhir. */
const FHIR_PREFLIGHT: CorsPreflight = { methods: 'GET, POST, PUT', headers: 'Authorization, Content-Type, Accept' };

/** `GET /fhir/metadata`: public, any origin (SMART app-launch.md "Considerations for CORS"). */
@Controller('fhir')
@UseFilters(FhirExceptionFilter)
export class FhirMetadataController {
  private readonly clientOrigins: ReadonlySet<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.clientOrigins = clientOrigins(config);
  }

  /** CORS preflight for browser apps on registered origins (the bearer guard must not see preflights). */
  @Options(['*path'])
  preflight(@Req() req: Request, @Res() res: Response): void {
    res.set(corsHeaders(req.headers.origin, this.clientOrigins, FHIR_PREFLIGHT));
    res.status(204).end();
  }

  @Get('metadata')
  metadata(@Res({ passthrough: true }) res: Response): Record<string, unknown> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.type('application/fhir+json');
    return capabilityStatement(smartUrls(this.config), this.config.smartClients, new Date());
  }
}

/** Read, search, create, update for SMART apps; the bearer guard runs first, then the scope evaluator. */
@Controller('fhir')
@UseFilters(FhirExceptionFilter)
@UseGuards(SmartBearerGuard)
export class FhirController {
  private readonly clientOrigins: ReadonlySet<string>;

  constructor(
    private readonly fhir: FhirService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clientOrigins = clientOrigins(config);
  }

  @Get(':type')
  search(@Req() req: AuthedRequest, @Param('type') type: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<SearchBundle> {
    this.headers(req, res);
    return this.fhir.search(req.user, type, query);
  }

  @Get(':type/:id')
  read(@Req() req: AuthedRequest, @Param('type') type: string, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<FhirResource> {
    this.headers(req, res);
    return this.fhir.read(req.user, type, id);
  }

  @Post(':type')
  @HttpCode(201)
  create(@Req() req: AuthedRequest, @Param('type') type: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<FhirResource> {
    this.headers(req, res);
    return this.fhir.create(req.user, type, body);
  }

  /** Before `:type/:id` would see it: `$validate` is an operation, not an id. */
  @Post(':type/$validate')
  @HttpCode(200)
  validate(@Req() req: AuthedRequest, @Param('type') type: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<OperationOutcome> {
    this.headers(req, res);
    return this.fhir.validate(req.user, type, body);
  }

  @Put(':type/:id')
  update(@Req() req: AuthedRequest, @Param('type') type: string, @Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<FhirResource> {
    this.headers(req, res);
    return this.fhir.update(req.user, type, id, body);
  }

  /** FHIR JSON; CORS only for registered client origins (SMART app-launch.md). */
  private headers(req: Request, res: Response): void {
    res.type('application/fhir+json');
    res.set(corsHeaders(req.headers.origin, this.clientOrigins));
  }
}
