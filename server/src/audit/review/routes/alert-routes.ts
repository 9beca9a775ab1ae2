import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_STATUSES, auditAlertSchema, escalateAlertSchema } from '@safeconsult/protocol';
import type { AppContext } from '../../../context.js';
import { requireSession } from '../../../identity/index.js';
import { NO_BODY, signedIn } from '../../../platform/http/index.js';
import { dismissAlert, listAlerts } from '../alerts.js';
import { escalateAlert } from '../incidents.js';
import { AUDIT_TRAIL } from './audit-trail-resource.js';

const alertParams = z.strictObject({ alertId: z.coerce.number().int().positive() });

/** Alerts raised by the rules over the ledger, for the security officer to review. */
export const alertRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/audit/alerts',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'Alerts raised over the audit ledger: open ones first, newest first',
        querystring: z.strictObject({
          status: z.enum(ALERT_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: { 200: z.object({ alerts: z.array(auditAlertSchema) }) },
      },
    },
    async (request) => ({ alerts: await listAlerts(ctx.store.db, request.query) }),
  );

  app.post(
    '/api/audit/alerts/:alertId/dismiss',
    {
      config: { access: signedIn('reviewAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'Dismiss an open alert after review (recorded in the ledger)',
        params: alertParams,
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await dismissAlert(ctx, request.params.alertId, requireSession(request).userId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/audit/alerts/:alertId/escalate',
    {
      config: { access: signedIn('reviewAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'Escalate an open alert into an open incident, adding its entries to it',
        params: alertParams,
        body: escalateAlertSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request);
      await escalateAlert(ctx, userId, request.params.alertId, request.body.incidentId);
      return reply.code(204).send(null);
    },
  );
};
