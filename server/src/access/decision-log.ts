import type { Queryable } from '../platform/db/index.js';
import type { AccessQuestion, Decision } from './access-control.js';
import { accessDecision } from './schema.js';

/** What the audit trail keeps of a decision: who, what, which patient, the outcome and why. */
export type DecisionRow = typeof accessDecision.$inferInsert;

export function decisionRow(
  question: AccessQuestion,
  decision: Decision,
  decidedAt: Date,
  requestId?: string,
): DecisionRow {
  const { principal } = question;
  return {
    decidedAt,
    principalType: principal.kind,
    principalId: principal.kind === 'staff' ? principal.userId : principal.sessionId,
    role: principal.kind === 'staff' ? principal.role : principal.participantKind,
    action: question.action,
    resource: question.resource,
    patientId: decision.patientId ?? null,
    decision: decision.allowed ? 'allow' : 'deny',
    policies: decision.policies.map((p) => p.id),
    policyVersion: decision.policyVersion,
    requestId: requestId ?? null,
  };
}

/** Every decision about patient data is kept, and every refusal; other allows are not news. */
export const worthRecording = (decision: Decision) =>
  !decision.allowed || decision.patientId !== undefined;

export async function recordDecisions(db: Queryable, rows: DecisionRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(accessDecision).values(rows);
}
