import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Appointment } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { staffUserTable } from '../identity/index.js';
import type { Database, Queryable, Transaction } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { readPatient } from '../records/index.js';
import { findAppointment } from './appointment-lookup.js';
import { issueInvitation } from './invitations.js';
import { appointment, consultInvitation, participantSession } from './schema.js';

const reasonContext = (id: string) => `appointment.reason:${id}`;

/** Who may hold a consult. */
const CONSULTING_ROLES = ['clinician', 'nurse'];

export interface NewAppointment {
  patientId: string;
  clinicianId: string;
  startsAt: Date;
  durationMinutes: number;
  reason?: string | undefined;
}

/**
 * Books a consult and sends the patient their link, in one transaction (nested in the caller's,
 * when given one): there is no appointment whose invitation was lost, and no invitation to an
 * appointment that was not booked.
 */
export async function bookAppointment(
  ctx: AppContext,
  booking: NewAppointment,
  bookedBy: string,
  db: Database | Transaction = ctx.store.db,
): Promise<Appointment> {
  const now = ctx.now();
  if (booking.startsAt.getTime() + booking.durationMinutes * 60_000 <= now.getTime()) {
    throw new AppError('validation_failed', 'The appointment would already be over.', [
      { path: 'body.startsAt', message: 'must leave the appointment in the future' },
    ]);
  }
  const [clinician] = await db
    .select()
    .from(staffUserTable)
    .where(
      and(
        eq(staffUserTable.id, booking.clinicianId),
        inArray(staffUserTable.role, CONSULTING_ROLES),
        isNull(staffUserTable.disabledAt),
      ),
    );
  if (!clinician) throw new AppError('not_found', 'No active clinician or nurse has this id.');
  const patient = await readPatient(db, ctx.fields, booking.patientId);
  if (!patient) throw new AppError('not_found', 'No patient has this id.');
  const email = patient.telecom?.find((c) => c.system === 'email')?.value;
  if (!email) {
    throw new AppError('unprocessable', 'The patient has no e-mail address to send the link to.');
  }

  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(appointment)
      .values({
        patientId: booking.patientId,
        clinicianId: booking.clinicianId,
        startsAt: booking.startsAt,
        durationMinutes: booking.durationMinutes,
        createdBy: bookedBy,
        createdAt: now,
      })
      .returning({ id: appointment.id });
    if (!row) throw new Error('an appointment was not stored');
    if (booking.reason) {
      await tx
        .update(appointment)
        .set({ reason: ctx.fields.encrypt(booking.reason, reasonContext(row.id)) })
        .where(eq(appointment.id, row.id));
    }
    await issueInvitation(ctx, tx, { appointmentId: row.id, kind: 'patient', email });
    return row.id;
  });
  ctx.outboxSignal.notify();
  const booked = await findAppointment(db, id);
  if (!booked) throw new Error('a booked appointment did not load');
  return booked;
}

/** Cancels a consult: its links stop working and anyone joined is signed out. */
export async function cancelAppointment(ctx: AppContext, id: string): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const cancelled = await tx
      .update(appointment)
      .set({ status: 'cancelled' })
      .where(and(eq(appointment.id, id), eq(appointment.status, 'scheduled')))
      .returning({ id: appointment.id });
    if (cancelled.length === 0) {
      throw new AppError('not_found', 'No scheduled appointment has this id.');
    }
    await revokeLinksAndSessions(tx, id, now);
  });
}

/** A consult that is over (cancelled or ended): its links stop working and its participants leave. */
export async function revokeLinksAndSessions(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx
    .update(consultInvitation)
    .set({ revokedAt: now })
    .where(and(eq(consultInvitation.appointmentId, id), isNull(consultInvitation.revokedAt)));
  await tx
    .update(participantSession)
    .set({ revokedAt: now })
    .where(and(eq(participantSession.appointmentId, id), isNull(participantSession.revokedAt)));
}
