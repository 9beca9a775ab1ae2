import { desc, eq } from 'drizzle-orm';
import type { Appointment } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';
import type { Queryable } from '../platform/db/index.js';
import { appointment } from './schema.js';

/** An appointment with its clinician's name, its booked end and its calendar sequence. */
export async function findAppointment(
  db: Queryable,
  id: string,
): Promise<(Appointment & { endsAt: Date; sequence: number }) | undefined> {
  const [row] = await db
    .select({ a: appointment, clinician: staffUserTable })
    .from(appointment)
    .innerJoin(staffUserTable, eq(staffUserTable.id, appointment.clinicianId))
    .where(eq(appointment.id, id));
  if (!row) return undefined;
  const { a, clinician } = row;
  return {
    id: a.id,
    patientId: a.patientId,
    clinician: { id: clinician.id, displayName: clinician.displayName },
    startsAt: a.startsAt.toISOString(),
    durationMinutes: a.durationMinutes,
    status: a.status as Appointment['status'],
    endsAt: new Date(a.startsAt.getTime() + a.durationMinutes * 60_000),
    sequence: a.sequence,
  };
}

const FHIR_STATUS = { scheduled: 'booked', cancelled: 'cancelled', ended: 'fulfilled' } as const;

/**
 * A patient's consults as FHIR R4 Appointment resources, for the scheduling section of the record.
 * The reason is clinical and stays out of it.
 */
export async function appointmentsOfPatient(db: Queryable, patientId: string) {
  const rows = await db
    .select({ a: appointment, clinician: staffUserTable.displayName })
    .from(appointment)
    .innerJoin(staffUserTable, eq(staffUserTable.id, appointment.clinicianId))
    .where(eq(appointment.patientId, patientId))
    .orderBy(desc(appointment.startsAt));
  return rows.map(({ a, clinician }) => ({
    resourceType: 'Appointment' as const,
    id: a.id,
    status: FHIR_STATUS[a.status as keyof typeof FHIR_STATUS] ?? 'booked',
    start: a.startsAt.toISOString(),
    end: new Date(a.startsAt.getTime() + a.durationMinutes * 60_000).toISOString(),
    minutesDuration: a.durationMinutes,
    participant: [
      { actor: { reference: `Patient/${a.patientId}` }, status: 'accepted' as const },
      {
        actor: { reference: `Practitioner/${a.clinicianId}`, display: clinician },
        status: 'accepted' as const,
      },
    ],
  }));
}
