import type { FastifyInstance } from 'fastify';
import { closeContext, type AppContext } from './context.js';

/**
 * Stops taking new connections, lets in-flight requests finish, then closes the store. New
 * requests on kept-alive connections get 503 meanwhile, so a load balancer moves on.
 */
export async function shutdown(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.close();
  await closeContext(ctx);
}

export function stopOnSignals(app: FastifyInstance, ctx: AppContext): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      ctx.log.error({ graceMs: ctx.config.shutdownGraceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, ctx.config.shutdownGraceMs);
    deadline.unref();
    shutdown(app, ctx).then(
      () => {
        ctx.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        ctx.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
