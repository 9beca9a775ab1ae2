import { eq } from 'drizzle-orm';
import type { Appointment } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';
import type { Queryable } from '../platform/db/index.js';
import { appointment } from './schema.js';

/** An appointment with its clinician's name and its booked end. */
export async function findAppointment(
  db: Queryable,
  id: string,
): Promise<(Appointment & { endsAt: Date }) | undefined> {
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
  };
}
