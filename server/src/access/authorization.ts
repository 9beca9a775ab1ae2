import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ResourceRef } from '@safeconsult/protocol';
import type { Database, Queryable } from '../platform/db/index.js';
import { appendAuditEntries, type AuditEntryInput } from '../audit/index.js';
import type { AppContext } from '../context.js';
import { assertRecentlyAuthenticated } from '../identity/index.js';
import { AppError, type AccessCheck } from '../platform/http/index.js';
import type { AccessQuestion, Decision } from './access-control.js';
import { decisionEntry, worthRecording } from './decision-log.js';
import type { Principal } from './entities.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The access policy's decision for this request, on routes that name an action. */
    accessDecision: Decision | undefined;
  }
}

/** The caller in the policy's terms; the authentication hooks have already loaded the session. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.staffSession) {
    const { userId, role } = request.staffSession;
    return { kind: 'staff', userId, role };
  }
  if (request.participantSession) {
    const p = request.participantSession;
    return {
      kind: 'participant',
      sessionId: p.id,
      participantKind: p.kind,
      appointmentId: p.appointmentId,
      patientId: p.patientId,
    };
  }
  throw new AppError('unauthenticated');
}

function resourceOf(check: AccessCheck, request: FastifyRequest, who: Principal): ResourceRef {
  const spec = check.resource;
  if (spec === 'own-account') {
    if (who.kind !== 'staff') throw new AppError('unauthenticated');
    return { type: 'User', id: who.userId };
  }
  if (spec === 'own-consult') {
    if (who.kind !== 'participant') throw new AppError('unauthenticated');
    return { type: 'Appointment', id: who.appointmentId };
  }
  return typeof spec === 'function' ? spec(request) : spec;
}

const pending = new WeakMap<FastifyRequest, AuditEntryInput[]>();

/** Keeps the decisions of a request that the audit ledger needs, to be written with its outcome. */
export function noteDecisions(
  request: FastifyRequest,
  questions: readonly AccessQuestion[],
  decisions: readonly Decision[],
  now: Date,
): void {
  const entries = decisions.flatMap((d, i) =>
    worthRecording(d) ? [decisionEntry(questions[i]!, d, now, request)] : [],
  );
  if (entries.length > 0) pending.set(request, [...(pending.get(request) ?? []), ...entries]);
}

/**
 * Writes the request's decisions so far into `db`. A handler that changes patient data calls it
 * inside its transaction, so the change and its entries commit together or not at all; whatever
 * is left (reads, refusals) is written before the response leaves.
 */
export async function recordRequestDecisions(
  request: FastifyRequest,
  db: Queryable,
): Promise<void> {
  const entries = pending.get(request);
  if (!entries) return;
  pending.delete(request);
  await appendAuditEntries(db, entries);
}

/**
 * Makes a change to patient data in one transaction with the request's audit entries: both commit
 * or neither does.
 */
export function changeWithAudit<T>(
  request: FastifyRequest,
  db: Database,
  change: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await change(tx);
    await recordRequestDecisions(request, tx);
    return result;
  });
}

/**
 * The one decision point every signed-in and participant route passes, after its input is
 * validated and before its handler: the route's declared action and resource go to the access
 * policy; a refusal is recorded and answered 403 (or 404 where existence must not leak).
 */
export const authorization = fp(async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
  app.decorateRequest('accessDecision', undefined);
  // Whatever the outcome (a refusal is an error response), the request's decisions are written
  // before its response leaves: one insert per request however many decisions it took.
  app.addHook('onSend', async (request, _reply, payload) => {
    await recordRequestDecisions(request, ctx.store.db);
    return payload;
  });
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (
      access?.kind !== 'signed-in' &&
      access?.kind !== 'participant' &&
      access?.kind !== 'realtime'
    ) {
      return;
    }
    const principal = principalOf(request);
    const question: AccessQuestion = {
      principal,
      action: access.check.action,
      resource: resourceOf(access.check, request, principal),
    };
    const now = ctx.now();
    const decision = await ctx.access.decide(question, now);
    noteDecisions(request, [question], [decision], now);
    if (!decision.allowed) {
      if (access.check.hideRefusal) throw new AppError('not_found');
      throw new AppError('forbidden', 'The access policy does not allow this.');
    }
    if (access.kind === 'signed-in' && access.recentAuthentication && request.staffSession) {
      assertRecentlyAuthenticated(request.staffSession, now);
    }
    request.accessDecision = decision;
  });
});
