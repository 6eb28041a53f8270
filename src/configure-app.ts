import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { cdsBodyErrors } from './cds/cds-body-errors.js';
import { appMount } from './cds/service-apps.js';
import { ServiceRegistry } from './cds/service-registry.js';
import { requestContext } from './ops/request-context.js';

/**
 * Transport-wide settings shared by main.ts and the e2e tests, so tests run the same app users do.
 * Domain modules register their own filters, guards and middleware.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // First, so every log line of a request carries its id and every request gets an access log line.
  app.use(requestContext());
  // Hook requests carry prefetch Bundles; 5 MB keeps a large Bundle in and a memory attack out.
  app.useBodyParser('json', { limit: '5mb', type: ['application/json', 'application/fhir+json'] });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  // Registered right after the parsers, so it sees only their errors (routes answer through Nest filters).
  app.use('/cds-services', cdsBodyErrors);
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
  app.enableShutdownHooks();
  return app;
}
