import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditIncidentSchema,
  incidentDetailSchema,
  incidentNoteSchema,
  openIncidentSchema,
  updateIncidentSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../../context.js';
import { requireSession } from '../../../identity/index.js';
import { sensitive, signedIn } from '../../../platform/http/index.js';
import { listIncidents, readIncident } from '../incident-store.js';
import { closeIncident, openIncident, recordIncidentAction, updateIncident } from '../incidents.js';
import { AUDIT_TRAIL } from './audit-trail-resource.js';

const incidentParams = z.strictObject({ incidentId: z.coerce.number().int().positive() });

/**
 * The incident register: each incident with the times its notification clocks run from, the
 * actions taken, and every change written to the ledger with it.
 */
export const incidentRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const detail = (id: number) => readIncident(ctx.store.db, ctx.fields, id, ctx.now());
  const change = {
    tags: ['audit'],
    params: incidentParams,
    response: { 200: incidentDetailSchema },
  };

  app.get(
    '/api/audit/incidents',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'The incident register: open incidents first, most recently discovered first',
        response: { 200: z.object({ incidents: z.array(auditIncidentSchema) }) },
      },
    },
    async () => ({ incidents: await listIncidents(ctx.store.db, ctx.fields, ctx.now()) }),
  );

  app.post(
    '/api/audit/incidents',
    {
      config: { access: signedIn('reviewAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'Open an incident, blank or from ledger entries and alerts (escalated into it)',
        body: openIncidentSchema,
        response: { 201: incidentDetailSchema },
      },
    },
    async (request, reply) => {
      const id = await openIncident(ctx, requireSession(request).userId, request.body);
      return reply.code(201).send(await detail(id));
    },
  );

  app.get(
    '/api/audit/incidents/:incidentId',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: { ...change, summary: 'An incident with its actions and notification times' },
    },
    async (request) => detail(request.params.incidentId),
  );

  app.patch(
    '/api/audit/incidents/:incidentId',
    {
      config: { access: signedIn('reviewAudit', AUDIT_TRAIL) },
      schema: {
        ...change,
        summary:
          "Change an open incident's title, scope, awareness time or entries, or record its notifications",
        body: updateIncidentSchema,
      },
    },
    async (request) => {
      const { incidentId } = request.params;
      await updateIncident(ctx, requireSession(request).userId, incidentId, request.body);
      return detail(incidentId);
    },
  );

  app.post(
    '/api/audit/incidents/:incidentId/actions',
    {
      config: { access: signedIn('reviewAudit', AUDIT_TRAIL) },
      schema: {
        ...change,
        summary: 'Record an action taken for an open incident',
        body: incidentNoteSchema,
        response: { 201: incidentDetailSchema },
      },
    },
    async (request, reply) => {
      const { incidentId } = request.params;
      await recordIncidentAction(
        ctx,
        requireSession(request).userId,
        incidentId,
        request.body.note,
      );
      return reply.code(201).send(await detail(incidentId));
    },
  );

  app.post(
    '/api/audit/incidents/:incidentId/close',
    {
      // Closing ends the register's watch over the clocks: the officer confirms who they are.
      config: { access: sensitive('reviewAudit', AUDIT_TRAIL) },
      schema: {
        ...change,
        summary: 'Close an open incident with its conclusion (re-authentication required)',
        body: incidentNoteSchema,
      },
    },
    async (request) => {
      const { incidentId } = request.params;
      await closeIncident(ctx, requireSession(request).userId, incidentId, request.body.note);
      return detail(incidentId);
    },
  );
};
