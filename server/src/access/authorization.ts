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

/** A system client behind a request's access token, with what the token's scopes grant. */
export type ClientCaller = Omit<Extract<Principal, { kind: 'client' }>, 'kind'> & {
  scopes: readonly string[];
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The access policy's decision for this request, on routes that name an action. */
    accessDecision: Decision | undefined;
    /** The system client behind the request's access token, on routes that accept one. */
    systemClient: ClientCaller | undefined;
  }
}

/** The caller in the policy's terms; the authentication hooks have already loaded the session. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.systemClient) {
    const { clientId, readSections, writeSections } = request.systemClient;
    return { kind: 'client', clientId, readSections, writeSections };
  }
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

/** Decisions written later: a change's in its transaction, the rest just before the response. */
const pending = new WeakMap<FastifyRequest, AuditEntryInput[]>();
/** A read's decisions already being written; the response waits for them. */
const writing = new WeakMap<FastifyRequest, Promise<void>[]>();

const READS = new Set(['GET', 'HEAD']);

/**
 * Keeps the decisions of a request that the audit ledger needs. A read changes nothing for them to
 * commit with, so its entries are written at once, on their own, while the handler reads: the
 * commit's flush to disk overlaps the read instead of following it, and the response still leaves
 * only after they are committed. A change's entries wait for its transaction, and so do those of a
 * read of the ledger itself, which must not race its own entries.
 */
export function noteDecisions(
  request: FastifyRequest,
  questions: readonly AccessQuestion[],
  decisions: readonly Decision[],
  now: Date,
  db: Database,
): void {
  const entries = decisions.flatMap((d, i) =>
    worthRecording(d) ? [decisionEntry(questions[i]!, d, now, request)] : [],
  );
  if (entries.length === 0) return;
  if (!READS.has(request.method) || readsLedger(request)) {
    pending.set(request, [...(pending.get(request) ?? []), ...entries]);
    return;
  }
  const write = appendAuditEntries(db, entries);
  // Awaited before the response leaves; until then a failure must not count as unhandled.
  write.catch(() => undefined);
  writing.set(request, [...(writing.get(request) ?? []), write]);
}

/** The action and resource the route declares, on routes the policy decides. */
function checkOf(request: FastifyRequest): AccessCheck | undefined {
  const access = request.routeOptions.config.access;
  return access && 'check' in access ? access.check : undefined;
}

const readsLedger = (request: FastifyRequest) => !!checkOf(request)?.readsLedger;

/**
 * Commits the request's decisions so far: waits for the writes begun for a read, and writes the
 * pending ones into `db`. A handler that changes patient data calls it inside its transaction, so
 * the change and its entries commit together or not at all; whatever is left (reads, refusals) is
 * written before the response leaves, and a WebSocket calls it before taking its first message.
 */
export async function recordRequestDecisions(
  request: FastifyRequest,
  db: Queryable,
): Promise<void> {
  const begun = writing.get(request) ?? [];
  writing.delete(request);
  const entries = pending.get(request);
  pending.delete(request);
  await Promise.all([...begun, entries ? appendAuditEntries(db, entries) : undefined]);
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
  app.decorateRequest('systemClient', undefined);
  // Whatever the outcome (a refusal is an error response), the request's decisions are committed
  // before its response leaves; a failed write fails the response instead.
  app.addHook('onSend', async (request, _reply, payload) => {
    await recordRequestDecisions(request, ctx.store.db);
    return payload;
  });
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    const check = checkOf(request);
    if (!access || !check) return;
    const principal = principalOf(request);
    const question: AccessQuestion = {
      principal,
      action: check.action,
      resource: resourceOf(check, request, principal),
    };
    const now = ctx.now();
    const decision = await ctx.access.decide(question, now);
    noteDecisions(request, [question], [decision], now, ctx.store.db);
    if (!decision.allowed) {
      if (check.hideRefusal) throw new AppError('not_found');
      throw new AppError('forbidden', 'The access policy does not allow this.');
    }
    if (access.kind === 'signed-in' && access.recentAuthentication && request.staffSession) {
      assertRecentlyAuthenticated(request.staffSession, now);
    }
    request.accessDecision = decision;
  });
});
