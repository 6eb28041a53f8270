import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { corsHeaders, type CorsPreflight } from '../http/cors.js';

/** Preflights ask for `authorization` (discovery) and `authorization,content-type` (calls, feedback). */
const CDS_PREFLIGHT: CorsPreflight = { methods: 'GET, POST, OPTIONS', headers: 'Authorization, Content-Type', maxAgeSeconds: 600 };

const MAX_REPORTED_ORIGINS = 100;

/**
 * CORS for the CDS endpoints (§Cross-Origin Resource Sharing; browser clients such as the sandbox),
 * for the configured `cors.origins` only. Answers preflights itself so they never need the JWT.
 */
@Injectable()
export class CdsCorsMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Cors');
  private readonly origins: ReadonlySet<string>;
  /** Origins already reported, bounded so a caller inventing origins cannot grow it or flood the log. */
  private readonly reported = new Set<string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.origins = new Set(config.cors.origins.map((o) => new URL(o).origin));
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const preflight = req.method === 'OPTIONS';
    // Even a refused origin's answer depends on Origin.
    res.vary('Origin');
    res.set(corsHeaders(req.headers.origin, this.origins, preflight ? CDS_PREFLIGHT : undefined));
    if (preflight) {
      this.reportRefused(req.headers.origin);
      res.status(204).end();
      return;
    }
    next();
  }

  /** The browser only says "CORS error"; the operator learns here, once per origin, which key to change. */
  private reportRefused(origin: string | undefined): void {
    if (origin === undefined || this.origins.has(origin) || this.reported.has(origin) || this.reported.size >= MAX_REPORTED_ORIGINS) return;
    this.reported.add(origin);
    const shown = JSON.stringify(origin.slice(0, 200));
    const listed = this.origins.size ? [...this.origins].join(', ') : 'none';
    this.logger.warn(
      `CORS preflight from origin ${shown} refused: not in cors.origins (listed: ${listed}). If that page is your EHR, add ${shown} ` +
        'to cors.origins exactly as the browser sends it: scheme, host and port (localhost ≠ 127.0.0.1, no path, no trailing slash).',
    );
  }
}
