import type { NestExpressApplication } from '@nestjs/platform-express';
import { cdsBodyErrors } from './cds-body-errors.js';

/**
 * Transport-wide settings shared by main.ts and the e2e tests, so tests run the same app users do.
 * Domain modules register their own filters, guards and middleware.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // Hook requests carry prefetch Bundles; 5 MB keeps a large Bundle in and a memory attack out.
  app.useBodyParser('json', { limit: '5mb', type: ['application/json', 'application/fhir+json'] });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  // Registered right after the parsers, so it sees only their errors (routes answer through Nest filters).
  app.use('/cds-services', cdsBodyErrors);
  app.enableShutdownHooks();
  return app;
}
