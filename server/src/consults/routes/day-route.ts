import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consultDayQuerySchema, consultDaySchema } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../identity/index.js';
import { signedIn } from '../../platform/http/index.js';
import { consultDay } from '../day-view.js';

export const consultDayRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/consults/day',
    {
      // A list of patients' consults: the route is the patient directory, each patient on it is
      // decided (and recorded) on its own.
      config: { access: signedIn('findPatient', { type: 'Directory', id: 'patients' }) },
      schema: {
        tags: ['consults'],
        summary:
          "A clinician's consults on one day of the clinic's clock, with who is waiting in each room",
        querystring: consultDayQuerySchema,
        response: { 200: consultDaySchema },
      },
    },
    async (request) =>
      consultDay(ctx, request, {
        date: request.query.date,
        clinicianId: request.query.clinicianId ?? requireSession(request).userId,
      }),
  );
};
