import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ConsentDirective, SensitivityLabel, StaffRole } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { careTeamMember, consentDirective } from './schema.js';

/** Only clinical staff belong on a care team: membership opens the clinical record. */
const CARE_ROLES: readonly StaffRole[] = ['clinician', 'nurse'];

export async function listCareTeam(db: Queryable, patientId: string) {
  const rows = await db
    .select({
      userId: careTeamMember.userId,
      displayName: staffUserTable.displayName,
      role: staffUserTable.role,
      addedAt: careTeamMember.addedAt,
    })
    .from(careTeamMember)
    .innerJoin(staffUserTable, eq(staffUserTable.id, careTeamMember.userId))
    .where(eq(careTeamMember.patientId, patientId))
    .orderBy(asc(staffUserTable.displayName));
  return rows.map((r) => ({ ...r, role: r.role as StaffRole, addedAt: r.addedAt.toISOString() }));
}

export async function addToCareTeam(
  db: Queryable,
  input: { patientId: string; userId: string; addedBy: string | null },
  now: Date,
) {
  const [user] = await db
    .select({ role: staffUserTable.role, disabledAt: staffUserTable.disabledAt })
    .from(staffUserTable)
    .where(eq(staffUserTable.id, input.userId));
  if (!user || user.disabledAt) throw new AppError('not_found', 'No such member of staff.');
  if (!CARE_ROLES.includes(user.role as StaffRole)) {
    throw new AppError('unprocessable', 'Only clinicians and nurses can be on a care team.');
  }
  await db
    .insert(careTeamMember)
    .values({ ...input, addedAt: now })
    .onConflictDoNothing();
  const members = await listCareTeam(db, input.patientId);
  return members.find((m) => m.userId === input.userId)!;
}

export async function removeFromCareTeam(db: Queryable, patientId: string, userId: string) {
  const removed = await db
    .delete(careTeamMember)
    .where(and(eq(careTeamMember.patientId, patientId), eq(careTeamMember.userId, userId)))
    .returning({ userId: careTeamMember.userId });
  if (removed.length === 0) throw new AppError('not_found', 'Not on this care team.');
}

export async function listConsentDirectives(
  db: Queryable,
  patientId: string,
): Promise<ConsentDirective[]> {
  const rows = await db
    .select({ d: consentDirective, displayName: staffUserTable.displayName })
    .from(consentDirective)
    .leftJoin(staffUserTable, eq(staffUserTable.id, consentDirective.userId))
    .where(and(eq(consentDirective.patientId, patientId), isNull(consentDirective.revokedAt)))
    .orderBy(asc(consentDirective.recordedAt));
  return rows.map(({ d, displayName }) => ({
    id: d.id,
    kind: d.kind as ConsentDirective['kind'],
    userId: d.userId,
    displayName,
    label: d.label as SensitivityLabel | null,
    recordedAt: d.recordedAt.toISOString(),
  }));
}

/** The patient a consent directive in force belongs to; none for an unknown or revoked one. */
export async function patientOfConsentDirective(
  db: Queryable,
  directiveId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ patientId: consentDirective.patientId })
    .from(consentDirective)
    .where(and(eq(consentDirective.id, directiveId), isNull(consentDirective.revokedAt)));
  return row?.patientId;
}

export async function addConsentDirective(
  db: Queryable,
  input: {
    patientId: string;
    /** Null for records made by the system (the demo seed). */
    recordedBy: string | null;
    directive:
      { kind: 'exclude_staff'; userId: string } | { kind: 'withhold_label'; label: string };
  },
  now: Date,
): Promise<ConsentDirective> {
  const { directive } = input;
  if (directive.kind === 'exclude_staff') {
    const [user] = await db
      .select({ id: staffUserTable.id })
      .from(staffUserTable)
      .where(eq(staffUserTable.id, directive.userId));
    if (!user) throw new AppError('not_found', 'No such member of staff.');
  }
  const [row] = await db
    .insert(consentDirective)
    .values({
      patientId: input.patientId,
      kind: directive.kind,
      userId: directive.kind === 'exclude_staff' ? directive.userId : null,
      label: directive.kind === 'withhold_label' ? directive.label : null,
      recordedBy: input.recordedBy,
      recordedAt: now,
    })
    .returning({ id: consentDirective.id });
  const all = await listConsentDirectives(db, input.patientId);
  return all.find((d) => d.id === row!.id)!;
}

export async function revokeConsentDirective(
  db: Queryable,
  patientId: string,
  directiveId: string,
  now: Date,
) {
  const revoked = await db
    .update(consentDirective)
    .set({ revokedAt: now })
    .where(
      and(
        eq(consentDirective.id, directiveId),
        eq(consentDirective.patientId, patientId),
        isNull(consentDirective.revokedAt),
      ),
    )
    .returning({ id: consentDirective.id });
  if (revoked.length === 0) throw new AppError('not_found', 'No such directive in force.');
}

/**
 * A care team as a FHIR Group: the patients whose care team a clinician or nurse is on, or
 * undefined when the account is no active clinician or nurse (no such group).
 */
export async function patientsCaredForBy(
  db: Queryable,
  userId: string,
): Promise<string[] | undefined> {
  const [user] = await db
    .select({ role: staffUserTable.role, disabledAt: staffUserTable.disabledAt })
    .from(staffUserTable)
    .where(eq(staffUserTable.id, userId));
  if (!user || user.disabledAt || !CARE_ROLES.includes(user.role as StaffRole)) return undefined;
  const rows = await db
    .select({ patientId: careTeamMember.patientId })
    .from(careTeamMember)
    .where(eq(careTeamMember.userId, userId))
    .orderBy(asc(careTeamMember.patientId));
  return rows.map((r) => r.patientId);
}
