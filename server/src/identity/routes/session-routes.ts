import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionSummarySchema } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, NO_BODY, signedIn } from '../../platform/http/index.js';
import { requireSession, sessionCookie } from '../authentication.js';
import { recordSecurityEvent } from '../security-events.js';
import { listSessions, revokeSession } from '../sessions/session-store.js';

/** The signed-in user's own sessions: see them on every device, and end any of them. */
export const sessionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookie = sessionCookie(ctx.config);

  app.get(
    '/api/auth/sessions',
    {
      config: { access: signedIn() },
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
        ctx.config.session,
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
      config: { access: signedIn() },
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
};
