import { z } from 'zod';
import { auditEntrySchema } from './audit.js';

/** A time with its offset (`Z` or `+01:00`), so that nothing depends on the server's zone. */
export const instantSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time with its offset, e.g. 2026-11-25T08:00:00Z',
});

/** A ledger entry as the security officer's audit trail shows it: with the names it knows. */
export const auditTrailEntrySchema = auditEntrySchema.extend({
  /** The acting staff member's name: as written in the entry, else the account's current name. */
  actorName: z.string().nullable(),
  /** The name of the staff account the entry is about, when it names one that exists. */
  subjectName: z.string().nullable(),
});
export type AuditTrailEntry = z.infer<typeof auditTrailEntrySchema>;

/** One page of the audit trail, newest first; `next` asks for the page after it. */
export const auditTrailPageSchema = z.object({
  entries: z.array(auditTrailEntrySchema),
  next: z.string().nullable(),
});

/**
 * Patterns in the ledger that may signal misuse:
 * - `patients_outside_care`: one person reaches the records of several patients without a care
 *   relationship (through emergency access, or refused for want of one);
 * - `emergency_access`: every emergency access;
 * - `out_of_hours_reads`: patient data read outside the clinic's working hours;
 * - `bulk_export`: many records leaving the product;
 * - `repeated_refusals`: one person refused again and again in a short time.
 */
export const ALERT_RULES = [
  'patients_outside_care',
  'emergency_access',
  'out_of_hours_reads',
  'bulk_export',
  'repeated_refusals',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_STATUSES = ['open', 'dismissed', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What an alert counted, against which threshold and window, and the span of its entries. */
export const alertPatternSchema = z.object({
  /** Patients, reads, records or refusals, by rule; 1 for a single event. */
  count: z.number().int(),
  threshold: z.number().int(),
  /** The window the count is over; absent where a single event raises the alert. */
  windowMinutes: z.number().int().optional(),
  /** The times of the first and last entry. */
  from: z.iso.datetime(),
  until: z.iso.datetime(),
  /** For out-of-hours reads: the working hours (`07:00-19:00`), days (ISO 1-7) and zone used. */
  workingHours: z.string().optional(),
  workingDays: z.string().optional(),
  timeZone: z.string().optional(),
});
export type AlertPattern = z.infer<typeof alertPatternSchema>;

export const auditAlertSchema = z.object({
  id: z.number().int(),
  rule: z.enum(ALERT_RULES),
  raisedAt: z.iso.datetime(),
  /** The staff member whose actions raised it. */
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  entryIds: z.array(z.number().int()),
  pattern: alertPatternSchema,
  status: z.enum(ALERT_STATUSES),
  reviewedBy: z.uuid().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.iso.datetime().nullable(),
  incidentId: z.number().int().nullable(),
});
export type AuditAlert = z.infer<typeof auditAlertSchema>;

export const escalateAlertSchema = z.strictObject({ incidentId: z.number().int().positive() });

const entryIds = z.array(z.number().int().positive()).max(500);
const title = z.string().trim().min(3).max(200);
const scope = z.string().trim().max(5000);
const note = z.string().trim().min(3).max(2000);

export const INCIDENT_STATUSES = ['open', 'closed'] as const;

/**
 * Opens an incident: blank, from ledger entries, or from alerts (which are then escalated into it).
 * `discoveredAt` is when the clinic became aware: the notification clocks run from there.
 */
export const openIncidentSchema = z.strictObject({
  title,
  discoveredAt: instantSchema,
  scope: scope.default(''),
  entryIds: entryIds.default([]),
  alertIds: z.array(z.number().int().positive()).max(100).default([]),
});

/** Changes an open incident; a notification time of null withdraws one recorded by mistake. */
export const updateIncidentSchema = z
  .strictObject({
    title: title.optional(),
    discoveredAt: instantSchema.optional(),
    scope: scope.optional(),
    entryIds: entryIds.optional(),
    authorityNotifiedAt: instantSchema.nullable().optional(),
    individualsNotifiedAt: instantSchema.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one change' });

/** An action taken, or the conclusion on closing: free text, stored encrypted. */
export const incidentNoteSchema = z.strictObject({ note });

export const incidentActionSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  by: z.uuid(),
  byName: z.string().nullable(),
  note: z.string(),
});

export const auditIncidentSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  scope: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  openedBy: z.uuid(),
  openedByName: z.string().nullable(),
  openedAt: z.iso.datetime(),
  discoveredAt: z.iso.datetime(),
  entryIds: z.array(z.number().int()),
  alertIds: z.array(z.number().int()),
  authorityNotifiedAt: z.iso.datetime().nullable(),
  individualsNotifiedAt: z.iso.datetime().nullable(),
  /** When the notification clocks run out (GDPR art. 33, HIPAA §164.404). */
  authorityDueAt: z.iso.datetime(),
  individualsDueAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
});
export type AuditIncident = z.infer<typeof auditIncidentSchema>;

export const incidentDetailSchema = auditIncidentSchema.extend({
  actions: z.array(incidentActionSchema),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;
