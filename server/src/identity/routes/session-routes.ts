import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ownAccountSchema,
  revokedSessionsSchema,
  sessionSummarySchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, NO_BODY, signedIn } from '../../platform/http/index.js';
import { requireSession, sessionCookie } from '../authentication.js';
import { recordSecurityEvent } from '../security-events.js';
import { currentSecurityPolicy, sessionPolicyOf } from '../security-policy.js';
import { findStaffAccount } from '../accounts.js';
import { listSessions, revokeOtherSessions, revokeSession } from '../sessions/session-store.js';

/** The signed-in user's own account, and their sessions on every device, which they may end. */
export const sessionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookie = sessionCookie(ctx.config);

  app.get(
    '/api/auth/account',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary:
          "The signed-in user's name, role, e-mail and whether an authenticator app is set up",
        response: { 200: ownAccountSchema },
      },
    },
    async (request) => {
      const account = await findStaffAccount(ctx.store.db, requireSession(request).userId);
      // Accounts are never deleted and the session was just loaded with its own: this narrows the type.
      if (!account) throw new AppError('unauthenticated');
      return account;
    },
  );

  app.get(
    '/api/auth/sessions',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: "The signed-in user's live sessions, on every device",
        response: { 200: z.object({ sessions: z.array(sessionSummarySchema) }) },
      },
    },
    async (request) => {
      const session = requireSession(request);
      const sessions = await listSessions(
        ctx.store.db,
        session.userId,
        sessionPolicyOf(await currentSecurityPolicy(ctx.store)),
        ctx.now(),
      );
      return {
        sessions: sessions.map((s) => ({
          ...s,
          current: s.id === session.id,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/api/auth/sessions/:sessionId',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'End one of your own sessions, for example on a lost device',
        params: z.strictObject({ sessionId: z.string().regex(/^[\w-]{43}$/) }),
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const now = ctx.now();
      const revoked = await revokeSession(
        ctx.store.db,
        session.userId,
        request.params.sessionId,
        now,
      );
      if (!revoked) throw new AppError('not_found', 'You have no live session with this id.');
      await recordSecurityEvent(
        ctx.store.db,
        { type: 'session_revoked', userId: session.userId, address: request.ip },
        now,
      );
      if (request.params.sessionId === session.id) reply.clearCookie(cookie.name, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/sessions/end-others',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'End all your sessions on other devices, keeping this one',
        body: NO_BODY,
        response: { 200: revokedSessionsSchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      const now = ctx.now();
      const revoked = await ctx.store.db.transaction(async (tx) => {
        const count = await revokeOtherSessions(
          tx,
          session.userId,
          session.id,
          sessionPolicyOf(await currentSecurityPolicy(ctx.store)),
          now,
        );
        // Recorded like ending a single session, with how many ended; nothing ended, nothing to record.
        if (count > 0) {
          await recordSecurityEvent(
            tx,
            {
              type: 'session_revoked',
              userId: session.userId,
              address: request.ip,
              detail: { count },
            },
            now,
          );
        }
        return count;
      });
      return { revoked };
    },
  );
};
