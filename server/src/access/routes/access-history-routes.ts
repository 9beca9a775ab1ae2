import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accessHistoryQuerySchema,
  accessHistorySchema,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, participant, signedIn } from '../../platform/http/index.js';
import { patientExists } from '../../records/index.js';
import { accessHistory } from '../access-history.js';

/** The patient a participant's consult is for: the only record whose history they may ask for. */
function ownPatientId(request: FastifyRequest): string {
  const session = request.participantSession;
  if (!session) throw new AppError('unauthenticated');
  return session.patientId;
}
const ownRecord = (request: FastifyRequest): ResourceRef => ({
  type: 'Patient',
  id: ownPatientId(request),
});

const patientParams = z.strictObject({ patientId: z.uuid() });

/**
 * "Who has looked at my record": for the patient from their consult link, and for those who review
 * access (the security officer) beside "who can reach this patient". Reading it is itself a read
 * about the patient, so the decision point records it like any other.
 */
export const accessHistoryRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/consult/access-history',
    {
      config: { access: participant('viewAccessHistory', ownRecord, { readsLedger: true }) },
      schema: {
        tags: ['join'],
        summary: 'Who on the staff has looked at the patient’s record, when and why (patient only)',
        querystring: accessHistoryQuerySchema,
        response: { 200: accessHistorySchema },
      },
    },
    async (request) => accessHistory(ctx.store.db, ownPatientId(request), request.query.before),
  );

  app.get(
    '/api/access/patients/:patientId/access-history',
    {
      config: {
        access: signedIn(
          'reviewAccess',
          (request) => ({
            type: 'Patient',
            id: (request.params as z.infer<typeof patientParams>).patientId,
          }),
          { readsLedger: true },
        ),
      },
      schema: {
        tags: ['access'],
        summary: 'Who on the staff did reach a patient’s record, when and why',
        params: patientParams,
        querystring: accessHistoryQuerySchema,
        response: { 200: accessHistorySchema },
      },
    },
    async (request) => {
      if (!(await patientExists(ctx.store.db, request.params.patientId))) {
        throw new AppError('not_found');
      }
      return accessHistory(ctx.store.db, request.params.patientId, request.query.before);
    },
  );
};
