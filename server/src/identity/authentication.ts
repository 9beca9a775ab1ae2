import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import { CSRF_HEADER } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { servesHttps, type Config } from '../platform/config/index.js';
import { AppError, bearerTokenOf } from '../platform/http/index.js';
import { currentSecurityPolicy, sessionPolicyOf } from './security-policy.js';
import { loadSession, standingSessionIds, type ActiveSession } from './sessions/session-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live session behind the request's cookie, if any; clears a dead cookie. */
    loadStaffSession(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<ActiveSession | undefined>;
  }
  interface FastifyRequest {
    /** The live staff session behind the request's cookie, on routes that need one. */
    staffSession: ActiveSession | undefined;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long a sign-in or re-authentication counts as recent for sensitive actions. */
export const RECENT_AUTHENTICATION_MS = 5 * 60_000;

/**
 * The session cookie: HttpOnly, SameSite=Strict, and Secure with the `__Host-` prefix (no domain,
 * path /) whenever browsers reach us over HTTPS. Plain http is for localhost trials only.
 */
export function cookieSettings(config: Config, baseName: string) {
  const secure = servesHttps(config);
  return {
    name: secure ? `__Host-${baseName}` : baseName,
    options: { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' },
  };
}

export const sessionCookie = (config: Config) => cookieSettings(config, 'safeconsult_session');

/** Writes must echo the session's anti-forgery token; compared in constant time. */
export function assertCsrf(request: FastifyRequest, expected: string): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameText(sent, expected)) {
    throw new AppError('csrf_failed', `Send the session's token in the ${CSRF_HEADER} header.`);
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A browser sends Origin on cross-site writes; one that is not ours is refused outright. */
function checkOrigin(request: FastifyRequest, config: Config) {
  const origin = request.headers.origin;
  if (!origin) return;
  const own = [new URL(config.publicUrl).origin, `${request.protocol}://${request.host}`];
  if (!own.includes(origin))
    throw new AppError('origin_refused', 'Cross-site requests are refused.');
}

/** The live session behind a cookie token under the security policy in force, or nothing. */
async function liveStaffSession(
  ctx: AppContext,
  token: string,
): Promise<ActiveSession | undefined> {
  const policy = sessionPolicyOf(await currentSecurityPolicy(ctx.store));
  return loadSession(ctx.store.db, token, policy, ctx.now());
}

/** Which of these staff sessions (by id) still stand under the clinic's session policy. */
export async function liveStaffSessionIds(
  ctx: AppContext,
  ids: readonly string[],
): Promise<Set<string>> {
  const policy = sessionPolicyOf(await currentSecurityPolicy(ctx.store));
  return standingSessionIds(ctx.store.db, ids, policy, ctx.now());
}

/**
 * Authentication, before the body is even parsed: a request to a signed-in route needs a live
 * session that has passed its second factor (unless the route is part of that step) and the
 * session's anti-forgery token on every write. The access policy decides afterwards.
 */
export const authentication = fp(async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
  const { name } = sessionCookie(ctx.config);
  await app.register(cookie);
  app.decorateRequest('staffSession', undefined);

  app.decorate('loadStaffSession', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[name];
    if (!token) return undefined;
    const session = await liveStaffSession(ctx, token);
    if (!session) reply.clearCookie(name, { path: '/' });
    return session;
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (STATE_CHANGING.has(request.method)) checkOrigin(request, ctx.config);
    const access = request.routeOptions.config.access;
    if (access?.kind === 'staff-or-participant') {
      // A staff session past its second factor serves; otherwise the participant hook decides.
      const staff = await app.loadStaffSession(request, reply);
      if (staff?.stage !== 'full') return;
      assertCsrf(request, staff.csrfToken);
      request.staffSession = staff;
      return;
    }
    // A bearer token on such a route is a system client's, which its own hook checks.
    if (access?.kind === 'staff-or-client' && bearerTokenOf(request) !== undefined) return;
    if (access?.kind !== 'signed-in' && access?.kind !== 'staff-or-client') return;
    const session = await app.loadStaffSession(request, reply);
    if (!session) {
      throw new AppError('unauthenticated', 'Your session has ended or you are not signed in.');
    }
    assertCsrf(request, session.csrfToken);
    if (session.stage !== 'full' && !(access.kind === 'signed-in' && access.secondFactorStep)) {
      throw new AppError(
        'mfa_required',
        session.stage === 'mfa_enrolment'
          ? 'Set up a second factor (authenticator app or passkey) before continuing.'
          : 'Complete the second sign-in step before continuing.',
      );
    }
    request.staffSession = session;
  });
});

/** A sensitive action needs the person to have proven themselves again within a few minutes. */
export function assertRecentlyAuthenticated(session: ActiveSession, now: Date): void {
  if (now.getTime() - session.reauthenticatedAt.getTime() > RECENT_AUTHENTICATION_MS) {
    throw new AppError('reauthentication_required', 'Confirm it is you to do this.');
  }
}

/** The session of a signed-in route's request; the hook above has guaranteed it. */
export function requireSession(request: FastifyRequest): ActiveSession {
  if (!request.staffSession) throw new AppError('unauthenticated');
  return request.staffSession;
}
