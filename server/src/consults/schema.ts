import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staffUserTable } from '../identity/index.js';
import { patientTable } from '../records/index.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** A consult booked for a patient with a clinician. The reason is encrypted: it is clinical. */
export const appointment = pgTable(
  'appointment',
  {
    id: uuid().primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patientTable.id),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => staffUserTable.id),
    startsAt: at('starts_at').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    reason: text(),
    status: text().notNull().default('scheduled'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => staffUserTable.id),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('appointment_starts_idx').on(t.startsAt),
    check('appointment_status_known', sql`${t.status} in ('scheduled', 'cancelled', 'ended')`),
  ],
);

/**
 * A link to join one appointment, for its patient or a named companion. Single-use: it is
 * exchanged for a participant session once the identity check passes. Only the token's hash is
 * kept; the companion's name is encrypted.
 */
export const consultInvitation = pgTable(
  'consult_invitation',
  {
    id: uuid().primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointment.id),
    kind: text().notNull(),
    companionName: text('companion_name'),
    relationship: text(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    revokedAt: at('revoked_at'),
    /** Wrong answers to the identity check; too many revoke the link. */
    failedChecks: integer('failed_checks').notNull().default(0),
  },
  (t) => [
    index('consult_invitation_appointment_idx').on(t.appointmentId),
    check('consult_invitation_kind_known', sql`${t.kind} in ('patient', 'companion')`),
  ],
);

/** A patient's or companion's session: no account, bound to one appointment, ending with it. */
export const participantSession = pgTable(
  'participant_session',
  {
    id: text().primaryKey(),
    invitationId: uuid('invitation_id')
      .notNull()
      .references(() => consultInvitation.id),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointment.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('participant_session_appointment_idx').on(t.appointmentId)],
);
