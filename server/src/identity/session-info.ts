import type { SecurityPolicy, SessionInfo } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { acceptedSecondFactors, enrolableFactors, enrolledFactors } from './mfa/factors.js';
import type { AppContext } from '../context.js';
import { sessionPolicyOf } from './security-policy.js';
import { loadSession, type ActiveSession } from './sessions/session-store.js';

/** A session as its own user sees it, with the second-factor step it still owes, if any. */
export async function describeSession(
  db: Queryable,
  session: ActiveSession,
  policy: SecurityPolicy,
): Promise<SessionInfo> {
  let secondFactor: SessionInfo['secondFactor'] = null;
  if (session.stage !== 'full') {
    const requirement = policy.mfa[session.role];
    const factors = await enrolledFactors(db, session.userId);
    secondFactor =
      session.stage === 'mfa_pending'
        ? { methods: acceptedSecondFactors(requirement, factors), enrol: [] }
        : { methods: [], enrol: enrolableFactors(requirement, factors) };
  }
  return {
    user: {
      id: session.userId,
      displayName: session.displayName,
      email: session.email,
      role: session.role,
    },
    stage: session.stage,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutSeconds: policy.session.idleMinutes * 60,
    secondFactor,
  };
}

/** The session a sign-in or promotion has just created, described for its user. */
export async function describeNewSession(
  ctx: AppContext,
  token: string,
  policy: SecurityPolicy,
): Promise<SessionInfo> {
  const session = await loadSession(ctx.store.db, token, sessionPolicyOf(policy), ctx.now());
  if (!session) throw new Error('a new session did not load');
  return describeSession(ctx.store.db, session, policy);
}
