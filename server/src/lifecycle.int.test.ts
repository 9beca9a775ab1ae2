import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildApp } from './app.js';
import { shutdown, startBackgroundWork } from './lifecycle.js';
import { publicRoute } from './platform/http/index.js';
import { createTestContext } from './test-support/context.js';

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses new connections and closes the store', async () => {
    const tc = await createTestContext('pglite');
    let started!: () => void;
    const requestStarted = new Promise<void>((resolve) => (started = resolve));
    const app = await buildApp(tc.ctx, {
      webRoot: null,
      extraRoutes: async (scope) => {
        scope.withTypeProvider<ZodTypeProvider>().get(
          '/api/test/slow',
          {
            config: { access: publicRoute('test') },
            schema: { response: { 200: z.object({ done: z.boolean() }) } },
          },
          async () => {
            started();
            await sleep(500);
            return { done: true };
          },
        );
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const work = startBackgroundWork(tc.ctx);
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const inFlight = fetch(`${base}/api/test/slow`);
    await requestStarted;
    const stopping = shutdown(app, tc.ctx, work);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(tc.ctx.store.ping()).rejects.toThrow();
    await tc.store.cleanup();
  });
});
