import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { PolicyFile } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';
import { patientTable } from '../records/index.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Every version of the access policy set the clinic has had. The highest version is in force;
 * rolling back writes an older text as a new version, so the history only grows.
 */
export const accessPolicyVersion = pgTable('access_policy_version', {
  version: integer().primaryKey(),
  files: jsonb().$type<PolicyFile[]>().notNull(),
  note: text().notNull(),
  createdBy: uuid('created_by').references(() => staffUserTable.id),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Staff the clinic has put on a patient's care team. */
export const careTeamMember = pgTable(
  'care_team_member',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patientTable.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUserTable.id),
    addedBy: uuid('added_by').references(() => staffUserTable.id),
    addedAt: at('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.patientId, t.userId] }),
    index('care_team_member_user_idx').on(t.userId),
  ],
);

/** A patient's consent directive: a member of staff refused, or a sensitivity label withheld. */
export const consentDirective = pgTable(
  'consent_directive',
  {
    id: uuid().primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patientTable.id),
    kind: text().notNull(),
    userId: uuid('user_id').references(() => staffUserTable.id),
    label: text(),
    recordedBy: uuid('recorded_by').references(() => staffUserTable.id),
    recordedAt: at('recorded_at').notNull().defaultNow(),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    index('consent_directive_patient_idx').on(t.patientId),
    check(
      'consent_directive_shape',
      sql`(${t.kind} = 'exclude_staff' and ${t.userId} is not null and ${t.label} is null)
        or (${t.kind} = 'withhold_label' and ${t.label} is not null and ${t.userId} is null)`,
    ),
  ],
);

/**
 * Emergency ("break-glass") access: granted for a limited time on a written reason (encrypted, it
 * may describe the patient's condition), reviewed afterwards by the security officer.
 */
export const emergencyAccess = pgTable(
  'emergency_access',
  {
    id: uuid().primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patientTable.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUserTable.id),
    reason: text().notNull(),
    startedAt: at('started_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    reviewedBy: uuid('reviewed_by').references(() => staffUserTable.id),
    reviewedAt: at('reviewed_at'),
    reviewNote: text('review_note'),
  },
  (t) => [
    index('emergency_access_patient_idx').on(t.patientId, t.expiresAt),
    index('emergency_access_review_idx').on(t.reviewedAt, t.startedAt),
  ],
);
