import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { BootError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { configureApp } from './configure-app.js';

/** The framework logs a failed start with its stack; a BootError is said once, by the catch below. */
class BootLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (!(message instanceof BootError)) super.error(message, ...rest);
  }
}

async function bootstrap(): Promise<void> {
  const logger = new Logger('Hookwarden');
  const { config, warnings } = loadConfig();
  for (const w of warnings) logger.warn(`\n${'!'.repeat(78)}\n${w}\n${'!'.repeat(78)}`);
  // abortOnError false: a failed start reaches the catch below instead of exiting inside the framework.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, abortOnError: false, logger: new BootLogger() });
  configureApp(app);
  await app.listen(config.port);
  logger.log(`Hookwarden listening on ${config.publicUrl} (database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);
  logger.log(`CDS discovery: ${config.publicUrl}/cds-services · FHIR: ${config.publicUrl}/fhir`);
}

try {
  await bootstrap();
} catch (e) {
  // What the operator must fix, said once; anything else is a bug and keeps its stack.
  if (!(e instanceof BootError)) throw e;
  console.error(`Hookwarden cannot start: ${e.message}`);
  process.exit(1);
}
