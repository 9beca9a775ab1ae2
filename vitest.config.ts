import { defineConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript source, so tests need no build first. */
const resolve = { conditions: ['@safeconsult/source', 'module', 'node', 'default'] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['{server,protocol,web}/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['server/src/**/*.int.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['e2e/support/global-setup.ts'],
          // One browser and one server are shared by the files; run them one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
