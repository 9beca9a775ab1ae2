import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context.js';
import { assertCsrf, cookieSettings } from '../identity/index.js';
import type { Config } from '../platform/config/index.js';
import { AppError } from '../platform/http/index.js';
import { loadParticipantSession, type ActiveParticipant } from './participant-sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live participant session behind the request's cookie, if any; clears a dead cookie. */
    loadParticipant(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<ActiveParticipant | undefined>;
  }
  interface FastifyRequest {
    /** The patient's or companion's session, on participant routes. */
    participantSession: ActiveParticipant | undefined;
  }
}

/** Apart from the staff cookie, so a clinician testing a link on their own device stays signed in. */
export const participantCookie = (config: Config) =>
  cookieSettings(config, 'safeconsult_participant');

/**
 * Authentication for routes declared `participant`: a live session from an invitation link, and
 * its anti-forgery token on writes. Registered after the staff authentication, which parses
 * cookies and refuses foreign origins for every write.
 */
export const participantAuthentication = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    const { name } = participantCookie(ctx.config);
    app.decorateRequest('participantSession', undefined);
    app.decorate('loadParticipant', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[name];
      if (!token) return undefined;
      const session = await loadParticipantSession(ctx.store.db, token, ctx.now());
      if (!session) reply.clearCookie(name, { path: '/' });
      return session;
    });
    app.addHook('onRequest', async (request, reply) => {
      const kind = request.routeOptions.config.access?.kind;
      if (kind !== 'participant' && (kind !== 'staff-or-participant' || request.staffSession)) {
        return;
      }
      const session = await app.loadParticipant(request, reply);
      if (!session) {
        throw new AppError(
          'unauthenticated',
          'Your consult session has ended. Ask the clinic for a new link if you still need to join.',
        );
      }
      assertCsrf(request, session.csrfToken);
      request.participantSession = session;
    });
  },
);

export function requireParticipant(request: FastifyRequest): ActiveParticipant {
  if (!request.participantSession) throw new AppError('unauthenticated');
  return request.participantSession;
}
