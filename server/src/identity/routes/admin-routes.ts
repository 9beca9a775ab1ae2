import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  revokedSessionsSchema,
  securityEventSchema,
  staffAccountSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, NO_BODY, sensitive, signedIn } from '../../platform/http/index.js';
import { requireSession } from '../authentication.js';
import { listSecurityEvents, listStaffAccounts } from '../accounts.js';
import { recordSecurityEvent } from '../security-events.js';
import { revokeAllSessions } from '../sessions/session-store.js';
import { unlockAccount } from '../sign-in.js';

const userParams = z.strictObject({ userId: z.uuid() });

export const identityAdminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/admin/staff',
    {
      config: { access: signedIn('admin', 'security_officer') },
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
      config: { access: sensitive('admin') },
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
      config: { access: sensitive('admin') },
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
      config: { access: signedIn('security_officer') },
      schema: {
        tags: ['security'],
        summary: 'Recent sign-ins, failures, locks and revocations, newest first',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ events: z.array(securityEventSchema) }) },
      },
    },
    async (request) => ({ events: await listSecurityEvents(ctx.store.db, request.query.limit) }),
  );
};
