import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  emergencyGrantSchema,
  emergencyReviewSchema,
  patientReachSchema,
  RECORD_SECTIONS,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../identity/index.js';
import { AppError, signedIn } from '../../platform/http/index.js';
import { patientExists } from '../../records/index.js';
import { grantsForReview, reviewGrant } from '../emergency.js';
import { patientReach } from '../reach.js';

/** The security officer's review: emergency access, and who can reach a patient and why. */
export const accessReviewRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/access/emergency',
    {
      config: { access: signedIn('readAudit', { type: 'AuditLog', id: 'emergency-access' }) },
      schema: {
        tags: ['access'],
        summary: 'Emergency access for review, unreviewed first',
        response: { 200: z.object({ grants: z.array(emergencyGrantSchema) }) },
      },
    },
    async () => ({ grants: await grantsForReview(ctx) }),
  );

  app.post(
    '/api/access/emergency/:grantId/review',
    {
      config: { access: signedIn('reviewAudit', { type: 'AuditLog', id: 'emergency-access' }) },
      schema: {
        tags: ['access'],
        summary: 'Record the review of an emergency access',
        params: z.strictObject({ grantId: z.uuid() }),
        body: emergencyReviewSchema,
        response: { 200: emergencyGrantSchema },
      },
    },
    async (request) =>
      reviewGrant(ctx, {
        grantId: request.params.grantId,
        reviewerId: requireSession(request).userId,
        note: request.body.note,
      }),
  );

  app.get(
    '/api/access/patients/:patientId/reach',
    {
      config: {
        access: signedIn('reviewAccess', (request) => ({
          type: 'Patient',
          id: (request.params as { patientId: string }).patientId,
        })),
      },
      schema: {
        tags: ['access'],
        summary: "Who can reach a section of a patient's record, and which policy decides",
        params: z.strictObject({ patientId: z.uuid() }),
        querystring: z.strictObject({ section: z.enum(RECORD_SECTIONS).default('clinical_notes') }),
        response: { 200: patientReachSchema },
      },
    },
    async (request) => {
      if (!(await patientExists(ctx.store.db, request.params.patientId))) {
        throw new AppError('not_found');
      }
      return patientReach(ctx, request.params.patientId, request.query.section);
    },
  );
};
