import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { corsHeaders } from './cors.js';

/** Applies corsHeaders(); answers preflights itself so they never need the JWT. */
@Injectable()
export class CdsCorsMiddleware implements NestMiddleware {
  private readonly origins: readonly string[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.origins = config.cors.origins.map((o) => new URL(o).origin);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const preflight = req.method === 'OPTIONS';
    // The answer depends on Origin, so caches must key on it.
    res.vary('Origin');
    res.set(corsHeaders(req.headers.origin, this.origins, preflight));
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  }
}
