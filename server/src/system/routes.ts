import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthSchema, readinessSchema, type Readiness } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { migrationState } from '../platform/db/index.js';
import { publicRoute } from '../platform/http/index.js';

/** Liveness and readiness for orchestrators and load balancers. They reveal nothing about data. */
export const systemRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      config: { access: publicRoute('liveness probe') },
      schema: {
        tags: ['system'],
        summary: 'The process is alive',
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: publicRoute('readiness probe') },
      schema: {
        tags: ['system'],
        summary: 'The store answers and all migrations are applied',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(ctx);
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );
};

async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  try {
    await ctx.store.ping();
  } catch {
    return { status: 'not_ready', checks: { store: 'unreachable', migrations: 'unknown' } };
  }
  const migrations = await migrationState(ctx.store).catch(() => 'unknown' as const);
  return {
    status: migrations === 'applied' ? 'ready' : 'not_ready',
    checks: { store: 'ok', migrations },
  };
}
