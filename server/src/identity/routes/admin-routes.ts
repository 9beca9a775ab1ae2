import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  colleagueSchema,
  revokedSessionsSchema,
  SECURITY_EVENT_TYPES,
  securityEventSchema,
  staffAccountSchema,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, NO_BODY, sensitive, signedIn } from '../../platform/http/index.js';
import { requireSession } from '../authentication.js';
import { listStaffAccounts } from '../accounts.js';
import { listColleagues } from '../service.js';
import { listSecurityEvents, recordSecurityEvent } from '../security-events.js';
import { revokeAllSessions } from '../sessions/session-store.js';
import { unlockAccount } from '../sign-in.js';

const userParams = z.strictObject({ userId: z.uuid() });
const staffAccount = (request: FastifyRequest): ResourceRef => ({
  type: 'User',
  id: (request.params as z.infer<typeof userParams>).userId,
});

const eventType = z.enum(SECURITY_EVENT_TYPES);
/** A time with its offset (`Z` or `+01:00`), so no filter depends on the server's zone. */
const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time with its offset, e.g. 2026-11-25T08:00:00Z',
});

const signInEventsQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** One type, or several by repeating the parameter. */
    type: z
      .union([eventType, z.array(eventType).min(1)], {
        error: `must be one of ${SECURITY_EVENT_TYPES.join(', ')}`,
      })
      .optional(),
    userId: z.uuid().optional(),
    since: instant.optional(),
    until: instant.optional(),
  })
  .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
    path: ['until'],
    message: 'until must be later than since',
  });

export const identityAdminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/staff/directory',
    {
      config: { access: signedIn('viewStaff', { type: 'Directory', id: 'colleagues' }) },
      schema: {
        tags: ['admin'],
        summary: 'Colleagues by name and role, to pick for a care team or a consent directive',
        response: { 200: z.object({ colleagues: z.array(colleagueSchema) }) },
      },
    },
    async () => ({ colleagues: await listColleagues(ctx.store.db) }),
  );

  app.get(
    '/api/admin/staff',
    {
      config: { access: signedIn('viewStaff', { type: 'Directory', id: 'staff' }) },
      schema: {
        tags: ['admin'],
        summary: 'Staff accounts with their last sign-in, failures and locks',
        response: { 200: z.object({ staff: z.array(staffAccountSchema) }) },
      },
    },
    async () => ({ staff: await listStaffAccounts(ctx.store.db) }),
  );

  app.post(
    '/api/admin/staff/:userId/unlock',
    {
      config: { access: sensitive('manageStaffAccount', staffAccount) },
      schema: {
        tags: ['admin'],
        summary: 'Lift the lock that repeated failed sign-ins put on an account',
        params: userParams,
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const admin = requireSession(request);
      const unlocked = await unlockAccount(
        ctx.store.db,
        request.params.userId,
        admin.userId,
        ctx.now(),
      );
      if (!unlocked) throw new AppError('not_found', 'No staff account has this id.');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/admin/staff/:userId/revoke-sessions',
    {
      config: { access: sensitive('manageStaffAccount', staffAccount) },
      schema: {
        tags: ['admin'],
        summary: "End all of a user's sessions, on every device",
        params: userParams,
        body: NO_BODY,
        response: { 200: revokedSessionsSchema },
      },
    },
    async (request) => {
      const admin = requireSession(request);
      const now = ctx.now();
      const revoked = await ctx.store.db.transaction(async (tx) => {
        const count = await revokeAllSessions(tx, request.params.userId, now);
        await recordSecurityEvent(
          tx,
          {
            type: 'sessions_revoked_by_admin',
            userId: request.params.userId,
            detail: { by: admin.userId, count },
          },
          now,
        );
        return count;
      });
      return { revoked };
    },
  );

  app.get(
    '/api/security/sign-in-events',
    {
      config: { access: signedIn('readAudit', { type: 'AuditLog', id: 'sign-in-activity' }) },
      schema: {
        tags: ['security'],
        summary:
          'Recent sign-ins, failures, locks and revocations, newest first; by type, account and time',
        querystring: signInEventsQuery,
        response: { 200: z.object({ events: z.array(securityEventSchema) }) },
      },
    },
    async (request) => {
      const { limit, type, userId, since, until } = request.query;
      const events = await listSecurityEvents(ctx.store.db, {
        limit,
        types: type === undefined ? undefined : [type].flat(),
        userId,
        since: since === undefined ? undefined : new Date(since),
        until: until === undefined ? undefined : new Date(until),
      });
      return { events };
    },
  );
};
