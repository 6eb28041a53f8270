import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { configureApp } from './configure-app.js';
import { JsonLogger } from './ops/logger.js';
import { superviseWorkers } from './ops/workers.js';

async function bootstrap(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const { config, warnings } = loaded;
  const jsonLogger = new JsonLogger(undefined, config.logLevel);
  const logger = new Logger('Hookwarden');
  Logger.overrideLogger(jsonLogger);
  const workers = config.workers ?? 1;
  if (cluster.isPrimary) for (const w of warnings) logger.warn(w);
  if (cluster.isPrimary && workers > 1) {
    superviseWorkers(workers, jsonLogger);
    return;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger: jsonLogger });
  configureApp(app);
  await app.listen(config.port);
  // SIGTERM (enableShutdownHooks): the server stops accepting, in-flight calls finish and their
  // batches commit, then the database closes; the log is flushed last.
  process.once('exit', () => jsonLogger.flush());
  if (cluster.isPrimary) {
    logger.log(`Hookwarden listening on ${config.publicUrl} (database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);
    logger.log(`CDS discovery: ${config.publicUrl}/cds-services · FHIR: ${config.publicUrl}/fhir`);
  } else {
    logger.log(`worker ${process.pid} listening on port ${config.port}`);
  }
}

await bootstrap();
