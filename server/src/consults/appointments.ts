import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Appointment } from '@safeconsult/protocol';
import { appendAuditEntries } from '../audit/index.js';
import type { AppContext } from '../context.js';
import { staffUserTable } from '../identity/index.js';
import { enqueueMessage } from '../outbox/index.js';
import type { Database, Queryable, Transaction } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { readPatient } from '../records/index.js';
import { findAppointment } from './appointment-lookup.js';
import { cancellationEmail, consultFacts } from './invitation-messages.js';
import { invitedCompanions, issueInvitation } from './invitations.js';
import { appointment, consultInvitation, participantSession } from './schema.js';

export const reasonContext = (id: string) => `appointment.reason:${id}`;

/** Who may hold a consult. */
const CONSULTING_ROLES = ['clinician', 'nurse'];

export interface NewAppointment {
  patientId: string;
  clinicianId: string;
  startsAt: Date;
  durationMinutes: number;
  reason?: string | undefined;
}

/** The member of staff changing a consult, and their request, for its ledger entry. */
export interface ConsultChange {
  by: { userId: string; role: string };
  requestId: string;
  address: string;
}

/** Where the patient's links go: an e-mail address (required) and, if the record has one, a mobile. */
async function patientContacts(ctx: AppContext, db: Queryable, patientId: string) {
  const patient = await readPatient(db, ctx.fields, patientId);
  if (!patient) throw new AppError('not_found', 'No patient has this id.');
  const telecom = patient.telecom ?? [];
  const email = telecom.find((c) => c.system === 'email')?.value;
  if (!email) {
    throw new AppError('unprocessable', 'The patient has no e-mail address to send the link to.');
  }
  const mobile = telecom.find(
    (c) => c.system === 'sms' || (c.system === 'phone' && c.use === 'mobile'),
  )?.value;
  return { email, mobile };
}

function assertStillAhead(startsAt: Date, durationMinutes: number, now: Date): void {
  if (startsAt.getTime() + durationMinutes * 60_000 <= now.getTime()) {
    throw new AppError('validation_failed', 'The appointment would already be over.', [
      { path: 'body.startsAt', message: 'must leave the appointment in the future' },
    ]);
  }
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
  assertStillAhead(booking.startsAt, booking.durationMinutes, now);
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
  const contacts = await patientContacts(ctx, db, booking.patientId);

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
    await issueInvitation(ctx, tx, { appointmentId: row.id, kind: 'patient', ...contacts });
    return row.id;
  });
  ctx.outboxSignal.notify();
  const booked = await findAppointment(db, id);
  if (!booked) throw new Error('a booked appointment did not load');
  return booked;
}

/** The consult's row, locked for the change; a consult that is over cannot change. */
async function lockScheduled(tx: Queryable, id: string, doing: string) {
  const [row] = await tx.select().from(appointment).where(eq(appointment.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'No appointment has this id.');
  if (row.status !== 'scheduled') {
    throw new AppError('conflict', `A ${row.status} consult cannot be ${doing}.`);
  }
  return row;
}

const consultEntry = (
  change: ConsultChange,
  action: string,
  row: { id: string; patientId: string },
  now: Date,
) => ({
  at: now,
  category: 'consult' as const,
  action,
  outcome: 'succeeded' as const,
  actor: { type: 'staff' as const, id: change.by.userId, role: change.by.role },
  patientId: row.patientId,
  resource: { type: 'Appointment' as const, id: row.id },
  requestId: change.requestId,
  address: change.address,
  detail: { appointmentId: row.id },
});

/**
 * Moves a consult, in the caller's transaction: every earlier link and participant session stops
 * working, and the patient and every companion get a new link with an updated calendar entry.
 * The caller wakes the outbox after the commit.
 */
export async function rescheduleAppointment(
  ctx: AppContext,
  tx: Queryable,
  id: string,
  to: { startsAt: Date; durationMinutes?: number | undefined },
  change: ConsultChange,
): Promise<void> {
  const now = ctx.now();
  const row = await lockScheduled(tx, id, 'rescheduled');
  const durationMinutes = to.durationMinutes ?? row.durationMinutes;
  assertStillAhead(to.startsAt, durationMinutes, now);
  const contacts = await patientContacts(ctx, tx, row.patientId);
  const companions = await invitedCompanions(ctx, tx, id);
  await tx
    .update(appointment)
    .set({
      startsAt: to.startsAt,
      durationMinutes,
      sequence: sql`${appointment.sequence} + 1`,
    })
    .where(eq(appointment.id, id));
  await revokeLinksAndSessions(tx, id, now);
  await issueInvitation(ctx, tx, { appointmentId: id, kind: 'patient', ...contacts });
  for (const c of companions) {
    await issueInvitation(ctx, tx, {
      appointmentId: id,
      kind: 'companion',
      email: c.email,
      companion: { name: c.name, relationship: c.relationship },
    });
  }
  await appendAuditEntries(tx, [consultEntry(change, 'appointment_rescheduled', row, now)]);
}

/**
 * Cancels a consult, in the caller's transaction: its links stop working, anyone joined is signed
 * out, and the patient and companions get a calendar cancellation. The caller wakes the outbox
 * after the commit.
 */
export async function cancelAppointment(
  ctx: AppContext,
  tx: Queryable,
  id: string,
  change: ConsultChange,
): Promise<void> {
  const now = ctx.now();
  const row = await lockScheduled(tx, id, 'cancelled');
  const patient = await readPatient(tx, ctx.fields, row.patientId);
  const patientEmail = patient?.telecom?.find((c) => c.system === 'email')?.value;
  const companions = await invitedCompanions(ctx, tx, id);
  await tx
    .update(appointment)
    .set({ status: 'cancelled', sequence: sql`${appointment.sequence} + 1` })
    .where(eq(appointment.id, id));
  await revokeLinksAndSessions(tx, id, now);
  const found = await findAppointment(tx, id);
  if (!found) throw new Error('a cancelled appointment did not load');
  const facts = await consultFacts(tx, found);
  const recipients = [
    ...(patientEmail ? [{ email: patientEmail }] : []),
    ...companions.map((c) => ({ email: c.email, companionName: c.name })),
  ];
  for (const to of recipients) {
    await enqueueMessage(ctx, tx, cancellationEmail(ctx, facts, to), now);
  }
  await appendAuditEntries(tx, [consultEntry(change, 'appointment_cancelled', row, now)]);
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
