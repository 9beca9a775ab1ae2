import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../context.js';
import { alertRoutes } from './alert-routes.js';
import { incidentRoutes } from './incident-routes.js';
import { auditSearchRoutes } from './search-routes.js';

/** The security officer's side of the ledger: search, alerts and the incident register. */
export const auditReviewRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  await app.register(auditSearchRoutes, { ctx });
  await app.register(alertRoutes, { ctx });
  await app.register(incidentRoutes, { ctx });
};
