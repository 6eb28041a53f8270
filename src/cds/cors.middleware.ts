import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { corsHeaders, type CorsPreflight } from '../http/cors.js';

/** Preflights ask for `authorization` (discovery) and `authorization,content-type` (calls, feedback). */
const CDS_PREFLIGHT: CorsPreflight = { methods: 'GET, POST, OPTIONS', headers: 'Authorization, Content-Type', maxAgeSeconds: 600 };

/**
 * CORS for the CDS endpoints (§Cross-Origin Resource Sharing; browser clients such as the sandbox),
 * for the configured `cors.origins` only. Answers preflights itself so they never need the JWT.
 */
@Injectable()
export class CdsCorsMiddleware implements NestMiddleware {
  private readonly origins: ReadonlySet<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.origins = new Set(config.cors.origins.map((o) => new URL(o).origin));
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const preflight = req.method === 'OPTIONS';
    // Even a refused origin's answer depends on Origin.
    res.vary('Origin');
    res.set(corsHeaders(req.headers.origin, this.origins, preflight ? CDS_PREFLIGHT : undefined));
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  }
}
