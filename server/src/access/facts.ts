import { inArray, sql } from 'drizzle-orm';
import type { ResourceRef } from '@safeconsult/protocol';
import { appointmentTable } from '../consults/index.js';
import { queryRows, type Queryable } from '../platform/db/index.js';
import {
  NO_FACTS,
  patientOf,
  type AppointmentFacts,
  type Facts,
  type PatientFacts,
} from './entities.js';

/** How long around a booked consult its clinician has a care relationship with the patient. */
export interface CareWindow {
  beforeMs: number;
  afterMs: number;
}

async function appointmentFacts(db: Queryable, ids: string[]) {
  const found = new Map<string, AppointmentFacts>();
  if (ids.length === 0) return found;
  const rows = await db
    .select({
      id: appointmentTable.id,
      patientId: appointmentTable.patientId,
      clinicianId: appointmentTable.clinicianId,
    })
    .from(appointmentTable)
    .where(inArray(appointmentTable.id, ids));
  for (const row of rows) found.set(row.id, row);
  return found;
}

interface FactRow {
  patient_id: string;
  fact: keyof PatientFacts;
  value: string;
}

/**
 * Everything that relates staff to the given patients, in one round trip however many patients:
 * care teams, consults whose window is open, unexpired emergency access, consent directives.
 */
async function patientFacts(db: Queryable, ids: string[], now: Date, window: CareWindow) {
  const found = new Map<string, PatientFacts>();
  if (ids.length === 0) return found;
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const windowOpens = new Date(now.getTime() + window.beforeMs).toISOString();
  const windowCloses = new Date(now.getTime() - window.afterMs).toISOString();
  const rows = await queryRows<FactRow>(
    db,
    sql`
    select patient_id, 'careTeam' as fact, user_id::text as value
      from care_team_member where patient_id in (${idList})
    union all
    select patient_id, 'appointmentWindow', clinician_id::text
      from appointment
     where patient_id in (${idList}) and status <> 'cancelled'
       and starts_at <= ${windowOpens}::timestamptz
       and starts_at + make_interval(mins => duration_minutes) >= ${windowCloses}::timestamptz
    union all
    select patient_id, 'emergencyAccess', user_id::text
      from emergency_access
     where patient_id in (${idList})
       and started_at <= ${now.toISOString()}::timestamptz
       and expires_at > ${now.toISOString()}::timestamptz
    union all
    select patient_id, case kind when 'exclude_staff' then 'excludedStaff' else 'withheldLabels' end,
           coalesce(user_id::text, label)
      from consent_directive where patient_id in (${idList}) and revoked_at is null`,
  );
  for (const row of rows) {
    const facts = found.get(row.patient_id) ?? structuredClone(NO_FACTS);
    facts[row.fact].push(row.value);
    found.set(row.patient_id, facts);
  }
  return found;
}

/** The facts for a batch of resources: at most two round trips, whatever the batch size. */
export async function loadFacts(
  db: Queryable,
  refs: readonly ResourceRef[],
  now: Date,
  window: CareWindow,
): Promise<Facts> {
  const appointmentIds = [
    ...new Set(refs.flatMap((r) => (r.type === 'Appointment' ? [r.id] : []))),
  ];
  const appointments = await appointmentFacts(db, appointmentIds);
  const patientIds = [
    ...new Set(refs.flatMap((r) => patientOf(r, { patients: new Map(), appointments }) ?? [])),
  ];
  const patients = await patientFacts(db, patientIds, now, window);
  return { patients, appointments };
}
