import { defineConfig } from 'vitest/config';

// One run, two tiers: pure/unit specs beside the code, e2e specs against the real AppModule in test/.
export default defineConfig({
  test: {
    globals: true,
    // The JSON report is what .ci/run counts for its closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    env: { TZ: 'UTC' },
    // PGlite boots a WASM PostgreSQL per suite; on a loaded 2-core machine that alone can take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.spec.ts', 'hooks/**/*.spec.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
