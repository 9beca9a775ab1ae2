import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AUDIT_CATEGORIES,
  AUDIT_OUTCOMES,
  auditTrailPageSchema,
  instantSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../../context.js';
import { signedIn } from '../../../platform/http/index.js';
import { CURSOR_PATTERN, decodeCursor, searchAuditTrail } from '../search.js';
import { AUDIT_TRAIL } from './audit-trail-resource.js';

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

const searchQuery = z
  .strictObject({
    /** A staff account: the entries it made and the entries about it. */
    user: z.uuid().optional(),
    patient: z.uuid().optional(),
    category: z.enum(AUDIT_CATEGORIES).optional(),
    action: z
      .string()
      .regex(/^[a-z][a-zA-Z_]{0,63}$/, 'must be an action or event name such as readRecord')
      .optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    /** Entry ids separated by commas: the entries an alert or incident names. */
    ids: z
      .string()
      .regex(/^\d{1,18}(,\d{1,18}){0,499}$/, 'must be up to 500 entry ids separated by commas')
      .optional(),
    /** The `next` of the page before. */
    after: z.string().regex(CURSOR_PATTERN, 'must be the `next` value of a page').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be later than from',
  });

/** The security officer's search of the audit ledger. */
export const auditSearchRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/audit/entries',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary:
          'Audit ledger entries, newest first, by person, patient, category, action, outcome, time or id',
        querystring: searchQuery,
        response: { 200: auditTrailPageSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return searchAuditTrail(ctx.store.db, {
        userId: q.user,
        patientId: q.patient,
        category: q.category,
        action: q.action,
        outcome: q.outcome,
        from: date(q.from),
        to: date(q.to),
        ids: q.ids?.split(',').map(Number),
        after: q.after === undefined ? undefined : decodeCursor(q.after),
        limit: q.limit,
      });
    },
  );
};
