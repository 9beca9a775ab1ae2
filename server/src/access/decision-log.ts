import type { AuditEntryInput } from '../audit/index.js';
import type { AccessQuestion, Decision } from './access-control.js';
import type { Principal } from './entities.js';

function actorOf(principal: Principal): AuditEntryInput['actor'] {
  switch (principal.kind) {
    case 'staff':
      return { type: 'staff', id: principal.userId, role: principal.role };
    case 'client':
      return { type: 'client', id: principal.clientId };
    case 'participant':
      return { type: 'participant', id: principal.sessionId, role: principal.participantKind };
  }
}

/** What the audit ledger keeps of a decision: who, what, which patient, the outcome and why. */
export function decisionEntry(
  question: AccessQuestion,
  decision: Decision,
  decidedAt: Date,
  request?: { id: string; ip: string },
): AuditEntryInput {
  const { principal } = question;
  return {
    at: decidedAt,
    category: 'access',
    action: question.action,
    outcome: decision.allowed ? 'allowed' : 'refused',
    actor: actorOf(principal),
    patientId: decision.patientId ?? null,
    resource: question.resource,
    // The policies that decided are the "why": a care-team or consult-window permit, emergency
    // access, a consent directive's forbid, or none (deny by default).
    policies: decision.policies.map((p) => p.id),
    policyVersion: decision.policyVersion,
    requestId: request?.id ?? null,
    address: request?.ip ?? null,
  };
}

/** Every decision about patient data is kept, and every refusal; other allows are not news. */
export const worthRecording = (decision: Decision) =>
  !decision.allowed || decision.patientId !== undefined;
