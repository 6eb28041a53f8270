import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DASHBOARD_PATH } from './analytics/dashboard-client.js';
import { chartLibraryFiles, DASHBOARD_FILES, DASHBOARD_HEADERS } from './analytics/dashboard-files.js';
import type { Express } from 'express';
import { appMount } from './cds/service-apps.js';
import { ServiceRegistry } from './cds/service-registry.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { deferBodyErrors } from './http/input-bounds.guard.js';
import { requestContext } from './ops/request-context.js';
import { buildOpenApi } from './http/openapi.js';

/** The package version, from src/ (tests) or dist/src/ (a build). */
function packageVersion(): string {
  const file = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url)).find((u) => existsSync(u));
  return file ? String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version) : 'unknown';
}

/**
 * Transport-wide settings shared by main.ts and the e2e tests, so tests run the same app users do.
 * Domain modules register their own filters, guards and middleware.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // First, so every log line of a request carries its id and every request gets an access log line.
  app.use(requestContext());
  const { limits } = app.get<AppConfig>(APP_CONFIG);
  // Hook requests carry prefetch Bundles: the configured bound keeps a large Bundle in and a memory attack out.
  app.useBodyParser('json', { limit: limits.bodyBytes, type: ['application/json', 'application/fhir+json'] });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  // Right after the parsers, so it sees only their errors; the route's own transport answers them (InputBoundsGuard).
  app.use(deferBodyErrors);
  // The SMART apps the services ship, each from its own folder in hooks/.
  for (const bundled of app.get(ServiceRegistry).apps()) {
    app.useStaticAssets(fileURLToPath(bundled.files), {
      prefix: appMount(bundled.clientId),
      index: false,
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    });
  }
  // The analytics dashboard and its chart library, both from this server.
  const dashboard = { setHeaders: (res: { setHeader(name: string, value: string): void }) => Object.entries(DASHBOARD_HEADERS).forEach(([k, v]) => res.setHeader(k, v)) };
  app.useStaticAssets(chartLibraryFiles(), { prefix: `${DASHBOARD_PATH}vendor/`, index: false, ...dashboard });
  app.useStaticAssets(DASHBOARD_FILES, { prefix: DASHBOARD_PATH, index: 'index.html', ...dashboard });
  // Generated from the registered controllers, so it lists exactly the routes that exist; on first
  // request, so a start (and every test app) does not pay for it.
  let openApi: string | undefined;
  (app.getHttpAdapter().getInstance() as Express).get('/openapi.json', (_req, res) => {
    openApi ??= JSON.stringify(buildOpenApi(app, app.get<AppConfig>(APP_CONFIG).publicUrl, packageVersion()));
    res.type('application/json').send(openApi);
  });
  app.enableShutdownHooks();
  return app;
}
