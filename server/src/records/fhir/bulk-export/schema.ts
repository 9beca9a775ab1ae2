import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { staffUserTable } from '../../../identity/index.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * FHIR bulk export jobs ($export), one row per kick-off that was answered 202: durable, so a job
 * acknowledged survives a restart and any node resumes it. What the job asked for is in clear
 * (types, since, group, the request URL): none of it is patient data.
 */
export const bulkExportJob = pgTable(
  'bulk_export_job',
  {
    id: uuid().primaryKey(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => staffUserTable.id),
    /** `in-progress`, `completed` or `failed`. */
    state: text().notNull(),
    /** The kick-off request's URL, as the manifest repeats it. */
    request: text().notNull(),
    since: at('since'),
    /** The resource types asked for, in the order they are exported. */
    types: text().array().notNull(),
    /** The care team (its clinician's or nurse's account id) of a Group export. */
    groupId: uuid('group_id'),
    /** How many of `types` are done; a resumed job goes on from here. */
    progress: integer().notNull().default(0),
    /** Why a job failed, for its requester: never patient data. */
    error: text(),
    /** When the export's data was read; resources changed later are left for a later `_since`. */
    transactionTime: at('transaction_time'),
    /** A node running the job holds it until then; a crashed node's claim lapses. */
    claimedUntil: at('claimed_until'),
    createdAt: at('created_at').notNull(),
    completedAt: at('completed_at'),
    /** Job and files are purged after this. */
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    index('bulk_export_job_state_idx').on(t.state, t.claimedUntil),
    index('bulk_export_job_expires_idx').on(t.expiresAt),
    check('bulk_export_job_state', sql`${t.state} in ('in-progress', 'completed', 'failed')`),
  ],
);

/** One NDJSON file of a job per resource type, sealed with the field key: it is patient data. */
export const bulkExportFile = pgTable(
  'bulk_export_file',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => bulkExportJob.id, { onDelete: 'cascade' }),
    resourceType: text('resource_type').notNull(),
    /** Resources (lines) in the file, as the manifest states it. */
    count: integer().notNull(),
    content: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.resourceType] })],
);
