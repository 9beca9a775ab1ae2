import { z } from 'zod';
import { RECORD_SECTIONS } from './access.js';
import { STAFF_ROLES } from './roles.js';

/**
 * Why a member of staff was allowed to reach a patient's record, in the patient's terms: the
 * care relationship the deciding policy names, or another rule of the clinic's access policy.
 */
export const ACCESS_REASONS = ['care_team', 'consult', 'emergency', 'other'] as const;
export type AccessReason = (typeof ACCESS_REASONS)[number];

/** One thing a member of staff did on a day: an action, on a record section where there is one. */
export const accessActivitySchema = z.object({
  /** The access policy's action (`readRecord`, `writeRecord`, `manageCareTeam` …). */
  action: z.string(),
  section: z.enum(RECORD_SECTIONS).nullable(),
  /** How many decisions allowed it that day. */
  count: z.number().int().min(1),
});
export type AccessActivity = z.infer<typeof accessActivitySchema>;

/** One member of staff's access to one patient on one day (in the clinic's time zone). */
export const accessHistoryLineSchema = z.object({
  day: z.iso.date(),
  staff: z.object({
    id: z.string(),
    /** The name the account has now, or had when the entry was written; null if neither is known. */
    displayName: z.string().nullable(),
    role: z.enum(STAFF_ROLES).nullable(),
  }),
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
  reasons: z.array(z.enum(ACCESS_REASONS)).min(1),
  activities: z.array(accessActivitySchema).min(1),
});
export type AccessHistoryLine = z.infer<typeof accessHistoryLineSchema>;

/** Who has reached a patient's record, newest day first, a page of days at a time. */
export const accessHistorySchema = z.object({
  /** The zone the days are counted in: the clinic's. */
  timeZone: z.string(),
  lines: z.array(accessHistoryLineSchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.iso.date().nullable(),
});
export type AccessHistory = z.infer<typeof accessHistorySchema>;

export const accessHistoryQuerySchema = z.strictObject({
  /** Only days before this one (a `nextBefore` from the previous page). */
  before: z.iso.date().optional(),
});

export type CareRelationship = Exclude<AccessReason, 'other'>;

/**
 * The shipped permits that stand for a care relationship, strongest first: a decision they allowed
 * was made because the person cares for the patient, sees them around a consult, or broke the glass.
 */
const RELATIONSHIP_POLICIES: readonly [string, CareRelationship][] = [
  ['care-team', 'care_team'],
  ['consult-window', 'consult'],
  ['emergency-access', 'emergency'],
];

/** The care relationships behind a decision, from the ids of the policies that allowed it. */
export function careRelationshipsOf(policyIds: readonly string[]): CareRelationship[] {
  return RELATIONSHIP_POLICIES.flatMap(([id, relationship]) =>
    policyIds.includes(id) ? [relationship] : [],
  );
}
