import { z } from 'zod';
import { PATIENT_IDENTITY_CHECKS } from './security-policy.js';
import { ROOM_STATUSES } from './signaling.js';

export const COMPANION_RELATIONSHIPS = ['family', 'carer', 'interpreter', 'other'] as const;
export const PARTICIPANT_KINDS = ['patient', 'companion'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** A consult booked for a patient with a clinician; the reason is kept short and minimal. */
export const newAppointmentSchema = z.strictObject({
  patientId: z.uuid(),
  clinicianId: z.uuid(),
  startsAt: z.iso.datetime({ offset: true }),
  durationMinutes: z.number().int().min(5).max(240),
  reason: z.string().trim().min(1).max(200).optional(),
});

export const appointmentSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  clinician: z.object({ id: z.uuid(), displayName: z.string() }),
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  status: z.enum(['scheduled', 'cancelled', 'ended']),
});
export type Appointment = z.infer<typeof appointmentSchema>;

/** A companion (family member, carer, interpreter) invited to a consult with a link of their own. */
export const newCompanionSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  relationship: z.enum(COMPANION_RELATIONSHIPS),
  email: z.email().max(254),
});

export const joinTokenSchema = z.strictObject({ token: z.string().min(1).max(100) });

/** What an invitation link shows before anyone proves anything: no patient data at all. */
export const invitationPreviewSchema = z.object({
  clinicName: z.string(),
  clinicianName: z.string(),
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  participant: z.enum(PARTICIPANT_KINDS),
  /** The companion's name as the clinic wrote it on the invitation. */
  companionName: z.string().nullable(),
  identityCheck: z.enum(PATIENT_IDENTITY_CHECKS),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const joinRequestSchema = joinTokenSchema.extend({
  /** The patient's date of birth, where the clinic's policy asks for it. */
  birthDate: z.iso.date().optional(),
});

/** A participant's session: bound to one appointment, ending with it. */
export const participantSessionSchema = z.object({
  appointmentId: z.uuid(),
  participant: z.enum(PARTICIPANT_KINDS),
  companionName: z.string().nullable(),
  clinicName: z.string(),
  clinicianName: z.string(),
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  expiresAt: z.iso.datetime(),
  csrfToken: z.string(),
});
export type ParticipantSession = z.infer<typeof participantSessionSchema>;

/** Moving a consult: the old links stop working and everyone invited gets new ones. */
export const rescheduleSchema = z.strictObject({
  startsAt: z.iso.datetime({ offset: true }),
  durationMinutes: z.number().int().min(5).max(240).optional(),
});

/** Someone in a consult's waiting room now. */
export const waitingPersonSchema = z.object({
  participantId: z.uuid(),
  participant: z.enum(PARTICIPANT_KINDS),
  /** A companion's name; null for the patient, whose name the consult row carries. */
  name: z.string().nullable(),
  relationship: z.enum(COMPANION_RELATIONSHIPS).nullable(),
  waitingSince: z.iso.datetime(),
});

/** One consult on a clinician's day, with who is waiting for it now. */
export const dayConsultSchema = z.object({
  appointment: appointmentSchema,
  /** The patient's display name, for staff allowed to see the patient. */
  patientName: z.string(),
  roomStatus: z.enum(ROOM_STATUSES).nullable(),
  waiting: z.array(waitingPersonSchema),
  /** Participants admitted and in the room now. */
  inRoom: z.number().int().min(0),
});
export type DayConsult = z.infer<typeof dayConsultSchema>;

export const consultDayQuerySchema = z.strictObject({
  /** The day in the clinic's time zone; today when absent. */
  date: z.iso.date().optional(),
  /** Whose consults; the caller's own when absent. */
  clinicianId: z.uuid().optional(),
});
export const consultDaySchema = z.object({
  date: z.iso.date(),
  consults: z.array(dayConsultSchema),
});
