import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecurityPolicy, SessionInfo } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { sessionCookie } from '../authentication.js';
import { enrolledFactors, stageAfterSecondFactor } from '../mfa/factors.js';
import { recordSecurityEvent } from '../security-events.js';
import { currentSecurityPolicy, sessionPolicyOf } from '../security-policy.js';
import { describeNewSession, describeSession } from '../session-info.js';
import { promoteSession, type ActiveSession } from '../sessions/session-store.js';

/**
 * Moves a session past its second-factor step under a new id, on the cookie and in the answer: a
 * token seen before the privilege change is worthless after it.
 */
export async function promote(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: ActiveSession,
  policy: SecurityPolicy,
): Promise<SessionInfo> {
  const factors = await enrolledFactors(ctx.store.db, session.userId);
  const stage = stageAfterSecondFactor(policy.mfa[session.role], factors);
  const client = { address: request.ip, userAgent: request.headers['user-agent'] };
  const token = await promoteSession(
    ctx.store.db,
    session,
    client,
    sessionPolicyOf(policy),
    ctx.now(),
    stage,
  );
  const cookie = sessionCookie(ctx.config);
  reply.setCookie(cookie.name, token, cookie.options);
  return describeNewSession(ctx, token, policy);
}

/**
 * After a factor is set up: records it for the security officer and answers with the session,
 * moved past its enrolment step when that is what it was waiting for.
 */
export async function afterEnrolment(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: ActiveSession,
  factor: 'totp' | 'passkey',
): Promise<SessionInfo> {
  await recordSecurityEvent(
    ctx.store.db,
    { type: 'mfa_enrolled', userId: session.userId, address: request.ip, detail: { factor } },
    ctx.now(),
  );
  const policy = await currentSecurityPolicy(ctx.store);
  return session.stage === 'full'
    ? describeSession(ctx.store.db, session, policy)
    : promote(ctx, request, reply, session, policy);
}
