import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { corsHeaders, type CorsPreflight } from '../http/cors.js';

const PREFLIGHT: CorsPreflight = { methods: 'POST, OPTIONS', headers: 'Authorization', maxAgeSeconds: 600 };

/**
 * An app the EHR launched is served from its own origin and redeems its appContext from the browser:
 * the origins of the registered SMART apps' launch and redirect URLs may call, no other.
 */
@Injectable()
export class AppContextCorsMiddleware implements NestMiddleware {
  private readonly origins: ReadonlySet<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.origins = new Set(
      config.smartClients.flatMap((c) => [...(c.launchUrl ? [c.launchUrl] : []), ...c.redirectUris]).map((url) => new URL(url).origin),
    );
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const preflight = req.method === 'OPTIONS';
    res.vary('Origin');
    res.set(corsHeaders(req.headers.origin, this.origins, preflight ? PREFLIGHT : undefined));
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  }
}
