import { defineConfig } from 'vitest/config';

// One run, two tiers: pure/unit specs beside the code, e2e specs against the real AppModule in test/.
export default defineConfig({
  test: {
    globals: true,
    env: { TZ: 'UTC', HOOKWARDEN_LOG: 'silent' },
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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
