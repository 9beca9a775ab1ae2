import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ResourceRef } from '@safeconsult/protocol';

const at = (name: string) => timestamp(name, { withTimezone: true });

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * The audit ledger. A row is written in the transaction of the change it records, without a
 * ledger position; the integrator then gives committed rows, in the order it finds them, the
 * next gapless sequence number and their leaf hash (as a Certificate Transparency log integrates
 * submissions). Apart from that one step a trigger refuses every update and delete; the Merkle
 * tree and the signed heads make any change that bypasses it evident.
 */
export const auditEntry = pgTable(
  'audit_entry',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** The entry's position in the ledger, from 1; null until integrated. */
    sequence: bigint({ mode: 'number' }),
    /** RFC 9162 leaf hash of the entry's canonical bytes; set with the sequence. */
    leafHash: bytea('leaf_hash'),
    at: at('at').notNull(),
    category: text().notNull(),
    action: text().notNull(),
    outcome: text().notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    /** The actor's name when it was written: evidence outlives renamed or removed accounts. */
    actorLabel: text('actor_label'),
    /** The staff account an account event is about (a locked, unlocked or invited account). */
    subjectUserId: uuid('subject_user_id'),
    patientId: uuid('patient_id'),
    resource: jsonb().$type<ResourceRef>(),
    /** The policies that decided, and the policy version, for access decisions. */
    policies: text().array(),
    policyVersion: integer('policy_version'),
    requestId: text('request_id'),
    address: text(),
    detail: jsonb().$type<Record<string, string | number | boolean>>(),
  },
  (t) => [
    uniqueIndex('audit_entry_sequence_idx').on(t.sequence),
    index('audit_entry_pending_idx')
      .on(t.id)
      .where(sql`${t.sequence} is null`),
    index('audit_entry_at_idx').on(t.at),
    index('audit_entry_patient_idx').on(t.patientId, t.at),
    index('audit_entry_actor_idx').on(t.actorId, t.at),
    index('audit_entry_subject_idx').on(t.subjectUserId, t.at),
    index('audit_entry_category_idx').on(t.category, t.at),
    check(
      'audit_entry_outcome_known',
      sql`${t.outcome} in ('allowed', 'refused', 'succeeded', 'failed')`,
    ),
    check('audit_entry_integrated_whole', sql`(${t.sequence} is null) = (${t.leafHash} is null)`),
  ],
);

/**
 * The tree over the integrated entries, one row: its size, root and the roots of its complete
 * subtrees (the compact range), so an integrator on any node continues it without rereading it.
 */
export const auditTreeState = pgTable(
  'audit_tree_state',
  {
    id: integer().primaryKey().default(1),
    treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
    rootHash: bytea('root_hash').notNull(),
    /** The frontier's hashes, largest subtree first, 32 bytes each, end to end. */
    frontier: bytea().notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [check('audit_tree_state_single', sql`${t.id} = 1`)],
);

/**
 * Hashes of complete subtrees of 2^level leaves, level ≥ SUBTREE_STORE_LEVEL, written as the
 * integrator completes them: a proof over a million entries reads about 20 of these and at most a
 * few hundred leaf hashes, instead of every leaf.
 */
export const auditSubtree = pgTable(
  'audit_subtree',
  {
    level: integer().notNull(),
    index: bigint({ mode: 'number' }).notNull(),
    hash: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

/** Signed tree heads, as issued. A copy of each also goes to a file beside the signing key. */
export const auditTreeHead = pgTable(
  'audit_tree_head',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
    rootHash: bytea('root_hash').notNull(),
    /** Milliseconds since the Unix epoch, as signed. */
    timestamp: bigint({ mode: 'number' }).notNull(),
    keyId: text('key_id').notNull(),
    signature: bytea().notNull(),
  },
  (t) => [index('audit_tree_head_size_idx').on(t.treeSize)],
);

/** Patterns in the ledger that may signal misuse, raised by the alert rules for review. */
export const auditAlert = pgTable(
  'audit_alert',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    rule: text().notNull(),
    raisedAt: at('raised_at').notNull(),
    /** The staff account whose actions raised it, when there is one. */
    actorId: text('actor_id'),
    /** The entries that raised it, by id. */
    entryIds: bigint('entry_ids', { mode: 'number' }).array().notNull(),
    /** Unique per rule and window: running the rules twice raises an alert once. */
    dedupeKey: text('dedupe_key').notNull(),
    detail: jsonb().$type<Record<string, string | number | boolean>>(),
    status: text().notNull().default('open'),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: at('reviewed_at'),
    incidentId: bigint('incident_id', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('audit_alert_dedupe_idx').on(t.rule, t.dedupeKey),
    index('audit_alert_status_idx').on(t.status, t.raisedAt),
    check('audit_alert_status_known', sql`${t.status} in ('open', 'dismissed', 'escalated')`),
  ],
);

/**
 * The incident register: what happened, its scope and the actions taken, with the times the
 * notification clocks run from (GDPR art. 33: 72 hours to the authority from awareness; HIPAA
 * §164.404: 60 days to individuals from discovery). Title and scope are stored encrypted: they may
 * describe patients.
 */
export const auditIncident = pgTable(
  'audit_incident',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    title: text().notNull(),
    openedBy: uuid('opened_by').notNull(),
    openedAt: at('opened_at').notNull(),
    /** When the clinic became aware of a breach: the clocks run from here. */
    discoveredAt: at('discovered_at').notNull(),
    status: text().notNull().default('open'),
    scope: text().notNull().default(''),
    /** The entries the incident is about, by id. */
    entryIds: bigint('entry_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    authorityNotifiedAt: at('authority_notified_at'),
    individualsNotifiedAt: at('individuals_notified_at'),
    closedAt: at('closed_at'),
  },
  (t) => [check('audit_incident_status_known', sql`${t.status} in ('open', 'closed')`)],
);

/** The incident's log of actions taken, in order; the note is stored encrypted. */
export const auditIncidentAction = pgTable(
  'audit_incident_action',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => auditIncident.id),
    at: at('at').notNull(),
    by: uuid().notNull(),
    note: text().notNull(),
  },
  (t) => [index('audit_incident_action_incident_idx').on(t.incidentId, t.at)],
);
