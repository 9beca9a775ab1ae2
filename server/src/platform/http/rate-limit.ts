import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppError } from './error-catalogue.js';

/** Probes are called by the orchestrator every few seconds and must never be throttled. */
const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz']);

/**
 * One budget per client address for the whole API, tighter budgets where a route declares
 * `config.rateLimit`. Counters live in the node's memory: behind a load balancer each node counts
 * on its own, which bounds abuse per node without a shared store.
 */
export async function registerRateLimits(app: FastifyInstance, perMinute: number) {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `Try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
        undefined,
        {
          'Retry-After': String(Math.ceil(context.ttl / 1000)),
        },
      ),
  });
}
