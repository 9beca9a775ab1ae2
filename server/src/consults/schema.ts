import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
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
    /** Raised by every reschedule and the cancellation: the calendar entries' SEQUENCE. */
    sequence: integer().notNull().default(0),
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
    /** Where a companion's link went, encrypted: a reschedule sends them a new one. */
    companionEmail: text('companion_email'),
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
    /** `link_and_birth_date` when the join passed the identity check, else `link`. */
    verifiedBy: text('verified_by').notNull().default('link'),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('participant_session_appointment_idx').on(t.appointmentId)],
);

/**
 * A consult's room, created when the first person enters it. Held in the store rather than in one
 * node's memory, so that every node serving someone in the room decides on the same state.
 */
export const consultRoom = pgTable(
  'consult_room',
  {
    appointmentId: uuid('appointment_id')
      .primaryKey()
      .references(() => appointment.id),
    status: text().notNull().default('waiting'),
    createdAt: at('created_at').notNull().defaultNow(),
    endedAt: at('ended_at'),
    /**
     * The FHIR Encounter recorded when the consult ended (a clinical resource of the patient's
     * record): the consult's chat and files hang off the room, so they are the Encounter's too.
     */
    encounterId: uuid('encounter_id'),
  },
  (t) => [
    check('consult_room_status_known', sql`${t.status} in ('waiting', 'open', 'locked', 'ended')`),
  ],
);

/**
 * Someone in a consult room: staff by account, a patient or companion by participant session. The
 * id is what peers address each other by; it reveals neither account nor session.
 */
export const consultRoomParticipant = pgTable(
  'consult_room_participant',
  {
    id: uuid().primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => consultRoom.appointmentId),
    role: text().notNull(),
    staffUserId: uuid('staff_user_id').references(() => staffUserTable.id),
    participantSessionId: text('participant_session_id').references(() => participantSession.id),
    state: text().notNull(),
    joinedAt: at('joined_at').notNull(),
    admittedAt: at('admitted_at'),
    leftAt: at('left_at'),
    /** The socket currently speaking for this person; a newer one replaces it. */
    connectionId: text('connection_id'),
    /**
     * How the person's session was established, as of their latest entry: stored here so every
     * node shows the same.
     */
    verifiedBy: text('verified_by').notNull(),
  },
  (t) => [
    uniqueIndex('consult_room_participant_staff_idx').on(t.appointmentId, t.staffUserId),
    uniqueIndex('consult_room_participant_session_idx').on(t.appointmentId, t.participantSessionId),
    check(
      'consult_room_participant_role_known',
      sql`${t.role} in ('clinician', 'staff', 'patient', 'companion')`,
    ),
    check(
      'consult_room_participant_state_known',
      sql`${t.state} in ('waiting', 'admitted', 'removed', 'left')`,
    ),
    check(
      'consult_room_participant_one_identity',
      sql`(${t.staffUserId} is null) <> (${t.participantSessionId} is null)`,
    ),
  ],
);

/**
 * A line of a consult's chat: a text message (encrypted) or a shared file. Sent by someone in the
 * room; kept with the room, and so with the Encounter recorded at its end.
 */
export const consultChatItem = pgTable(
  'consult_chat_item',
  {
    id: uuid().primaryKey(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => consultRoom.appointmentId),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => consultRoomParticipant.id),
    kind: text().notNull(),
    text: text(),
    fileId: uuid('file_id').references(() => consultFile.id),
    sentAt: at('sent_at').notNull(),
  },
  (t) => [
    index('consult_chat_item_appointment_idx').on(t.appointmentId, t.sentAt),
    check('consult_chat_item_kind_known', sql`${t.kind} in ('text', 'file')`),
    check(
      'consult_chat_item_one_content',
      sql`(${t.kind} = 'text') = (${t.text} is not null and ${t.fileId} is null)`,
    ),
  ],
);

/**
 * A file shared in a consult. Its name and content are encrypted under contexts bound to the row;
 * the type is the one read from the content's first bytes.
 */
export const consultFile = pgTable(
  'consult_file',
  {
    id: uuid().primaryKey(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => consultRoom.appointmentId),
    name: text().notNull(),
    contentType: text('content_type').notNull(),
    size: integer().notNull(),
    content: text().notNull(),
  },
  (t) => [index('consult_file_appointment_idx').on(t.appointmentId)],
);
