import type {
  AuditActorType,
  AuditCategory,
  AuditEntry,
  AuditOutcome,
  ResourceRef,
} from '@safeconsult/protocol';
import type { auditEntry } from '../schema.js';

export type AuditDetail = Record<string, string | number | boolean>;

/**
 * What a module hands the ledger. Identifiers only: no name, note, answer or other content of a
 * patient's record ever goes into an entry.
 */
export interface AuditEntryInput {
  at: Date;
  category: AuditCategory;
  action: string;
  outcome: AuditOutcome;
  actor: {
    type: AuditActorType;
    id?: string | null | undefined;
    role?: string | null | undefined;
    label?: string | null | undefined;
  };
  subjectUserId?: string | null | undefined;
  patientId?: string | null | undefined;
  resource?: ResourceRef | null | undefined;
  policies?: readonly string[] | null | undefined;
  policyVersion?: number | null | undefined;
  requestId?: string | null | undefined;
  address?: string | null | undefined;
  detail?: AuditDetail | null | undefined;
}

export type AuditEntryRow = typeof auditEntry.$inferSelect;
type AuditEntryInsert = typeof auditEntry.$inferInsert;

export function toInsertRow(entry: AuditEntryInput): AuditEntryInsert {
  return {
    at: entry.at,
    category: entry.category,
    action: entry.action,
    outcome: entry.outcome,
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
    actorRole: entry.actor.role ?? null,
    actorLabel: entry.actor.label ?? null,
    subjectUserId: entry.subjectUserId ?? null,
    patientId: entry.patientId ?? null,
    resource: entry.resource ?? null,
    policies: entry.policies ? [...entry.policies] : null,
    policyVersion: entry.policyVersion ?? null,
    requestId: entry.requestId ?? null,
    address: entry.address ?? null,
    detail: entry.detail ?? null,
  };
}

/** The API's view of a stored entry. */
export function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    sequence: row.sequence,
    at: row.at.toISOString(),
    // Written only through toInsertRow, whose input is typed by the protocol's lists.
    category: row.category as AuditCategory,
    action: row.action,
    outcome: row.outcome as AuditOutcome,
    actor: {
      type: row.actorType as AuditActorType,
      id: row.actorId,
      role: row.actorRole,
      label: row.actorLabel,
    },
    subjectUserId: row.subjectUserId,
    patientId: row.patientId,
    resource: row.resource,
    policies: row.policies,
    policyVersion: row.policyVersion,
    requestId: row.requestId,
    address: row.address,
    detail: row.detail,
  };
}

/** Bumped if the leaf encoding ever changes; part of every leaf, so old leaves keep their meaning. */
const LEAF_VERSION = 1;

/**
 * The bytes an entry's leaf hash covers: every stored field, its sequence number included (so a
 * swapped or renumbered entry no longer matches its hash), as a JSON array in a fixed order with
 * object keys sorted. Built from the columns on every check, so a change to any column shows.
 */
export function canonicalLeaf(row: AuditEntryRow, sequence: number): Buffer {
  return Buffer.from(
    JSON.stringify([
      LEAF_VERSION,
      sequence,
      row.at.toISOString(),
      row.category,
      row.action,
      row.outcome,
      row.actorType,
      row.actorId,
      row.actorRole,
      row.actorLabel,
      row.subjectUserId,
      row.patientId,
      sortedKeys(row.resource),
      row.policies,
      row.policyVersion,
      row.requestId,
      row.address,
      sortedKeys(row.detail),
    ]),
    'utf8',
  );
}

/** JSON objects with their keys sorted, at every depth: jsonb does not keep the order written. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortedKeys(object[key])]),
  );
}
