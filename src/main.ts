import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { configureApp } from './configure-app.js';
import { troubleshootingTable } from './ehr-auth/jwt-troubleshooting.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Hookwarden');
  let loaded;
  let root;
  try {
    loaded = loadConfig();
    // The services' own settings (`hooks:`) are checked against the served services here.
    root = AppModule.forRoot(loaded.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const { config, warnings } = loaded;
  for (const w of warnings) logger.warn(`\n${'!'.repeat(78)}\n${w}\n${'!'.repeat(78)}`);
  const app = await NestFactory.create<NestExpressApplication>(root, { bodyParser: false });
  configureApp(app);
  await app.listen(config.port);
  logger.log(`Hookwarden listening on ${config.publicUrl} (database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);
  logger.log(`CDS discovery: ${config.publicUrl}/cds-services · FHIR: ${config.publicUrl}/fhir`);
  if (config.auth.required) logger.log(`A refused EHR call is a bare 401; its log line names the check=:\n${troubleshootingTable()}`);
}

await bootstrap();
