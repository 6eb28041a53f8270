import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Transport-wide settings shared by main.ts and the e2e tests, so tests run the same app users do.
 * Domain modules register their own filters, guards and middleware.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // Hook requests carry prefetch Bundles; 5 MB keeps a large Bundle in and a memory attack out.
  app.useBodyParser('json', { limit: '5mb', type: ['application/json', 'application/fhir+json'] });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  app.enableShutdownHooks();
  return app;
}
