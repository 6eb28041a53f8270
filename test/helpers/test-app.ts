import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService, Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { fileSchema, type FileConfig } from '../../src/config/config.schema.js';
import { configureApp } from '../../src/configure-app.js';

export const TEST_PUBLIC_URL = 'https://hookwarden.test';

/**
 * Builds a validated AppConfig for tests: the file part goes through the real schema, so a test
 * config is as valid as an operator's. Defaults: no EHRs, PGlite in a fresh temp dir.
 */
export function buildTestConfig(file: Partial<Record<keyof FileConfig, unknown>> = {}, env: Partial<AppConfig> = {}): AppConfig {
  const parsed = fileSchema.parse(file);
  const dataDir = env.dataDir ?? mkdtempSync(join(tmpdir(), 'hookwarden-test-'));
  return {
    ...parsed,
    port: 0,
    publicUrl: TEST_PUBLIC_URL,
    dataDir,
    configPath: '(test)',
    ...env,
  };
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** The node http.Server for supertest. */
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Overrides edges only (e.g. `b.overrideProvider(DATABASE).useValue(shared)`); never the part under test. */
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra test-only controllers (e.g. a probe route behind a guard). */
  controllers?: Type[];
  logger?: LoggerService;
}

/** Boots the real AppModule with `config`, configured exactly like main.ts. */
export async function createTestApp(config: AppConfig = buildTestConfig(), opts: TestAppOptions = {}): Promise<TestApp> {
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)], controllers: opts.controllers ?? [] });
  const moduleRef = await (opts.customize ? opts.customize(builder) : builder).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: opts.logger ?? false });
  configureApp(app);
  await app.init();
  return {
    app,
    config,
    server: app.getHttpServer(),
    async close({ keepData = false } = {}) {
      await app.close();
      if (!keepData && config.dataDir.includes('hookwarden-test-')) rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
