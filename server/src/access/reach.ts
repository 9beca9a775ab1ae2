import type {
  AccessDecisionView,
  Colleague,
  PatientReach,
  RecordSectionName,
} from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { listColleagues } from '../identity/index.js';
import type { Decision } from './access-control.js';
import type { Principal } from './entities.js';

export type StaffMember = Colleague;

export const asPrincipal = (m: StaffMember): Principal => ({
  kind: 'staff',
  userId: m.userId,
  role: m.role,
});

export function decisionView(decision: Decision): AccessDecisionView {
  return {
    decision: decision.allowed ? 'allow' : 'deny',
    policies: decision.policies.map(({ id, file, effect, explanation }) => ({
      id,
      file,
      effect,
      explanation,
    })),
  };
}

/**
 * For every member of staff, whether they may read and write one section of a patient's record
 * now, and which policies decided: the security officer's "who can reach this patient, and why".
 * One load of facts serves every row.
 */
export async function patientReach(
  ctx: AppContext,
  patientId: string,
  section: RecordSectionName,
): Promise<PatientReach> {
  const staff = await listColleagues(ctx.store.db);
  const resource = { type: 'RecordSection' as const, patientId, section };
  const questions = staff.flatMap((m) =>
    (['readRecord', 'writeRecord'] as const).map((action) => ({
      principal: asPrincipal(m),
      action,
      resource,
    })),
  );
  const decisions = await ctx.access.decideMany(questions, ctx.now());
  return {
    patientId,
    section,
    policyVersion: decisions[0]?.policyVersion ?? (await ctx.access.engine()).version,
    staff: staff.map((m, i) => ({
      ...m,
      read: decisionView(decisions[2 * i]!),
      write: decisionView(decisions[2 * i + 1]!),
    })),
  };
}
