import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { BootError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { configureApp } from './configure-app.js';
import { JsonLogger } from './ops/logger.js';
import { superviseWorkers } from './ops/workers.js';
import { troubleshootingTable } from './ehr-auth/jwt-troubleshooting.js';

/** The framework logs a failed start with its stack; a BootError is said once, by the catch below. */
class BootLogger extends JsonLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (!(message instanceof BootError)) super.error(message, ...rest);
  }
}

async function bootstrap(): Promise<void> {
  const { config, warnings } = loadConfig();
  const jsonLogger = new BootLogger(undefined, config.logLevel);
  Logger.overrideLogger(jsonLogger);
  const logger = new Logger('Hookwarden');
  if (cluster.isPrimary) for (const w of warnings) logger.warn(w);
  const workers = config.workers ?? 1;
  if (cluster.isPrimary && workers > 1) {
    superviseWorkers(workers, jsonLogger);
    return;
  }
  // abortOnError false: a failed start reaches the catch below instead of exiting inside the framework.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, abortOnError: false, logger: jsonLogger });
  configureApp(app);
  await app.listen(config.port);
  // SIGTERM (enableShutdownHooks): the server stops accepting, in-flight calls finish with their
  // batches committed, then the database closes; the log is flushed last.
  process.once('exit', () => jsonLogger.flush());
  if (cluster.isWorker) {
    logger.log(`worker ${process.pid} listening on port ${config.port}`);
    return;
  }
  logger.log(`Hookwarden listening on ${config.publicUrl} (database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);
  logger.log(`CDS discovery: ${config.publicUrl}/cds-services · FHIR: ${config.publicUrl}/fhir`);
  if (config.auth.required) logger.log(`A refused EHR call is a bare 401; its log line names the check=:\n${troubleshootingTable()}`);
}

try {
  await bootstrap();
} catch (e) {
  // What the operator must fix, said once; anything else is a bug and keeps its stack.
  if (!(e instanceof BootError)) throw e;
  console.error(`Hookwarden cannot start: ${e.message}`);
  process.exit(1);
}
