import { defineConfig } from 'vitest/config';

/**
 * Resolve workspace packages to their TypeScript source, so tests need no build first (and never
 * see a stale one). Workspace packages are inlined so that Vite, not Node, resolves them.
 */
const resolve = { conditions: ['@safeconsult/source', 'module', 'node', 'default'] };
const server = { deps: { inline: [/@safeconsult\//] } };
const ssr = {
  resolve: { conditions: resolve.conditions, externalConditions: ['@safeconsult/source'] },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          server,
          include: ['{server,protocol,web,bench}/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          server,
          include: ['server/src/**/*.int.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'e2e',
          server,
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
