import type { AuditEvent } from 'fhir/r4.js';
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  lt,
  lte,
  max,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditEntryInput } from '../ledger/entry.js';
import { staffNames } from '../review/staff-names.js';
import { auditEntry } from '../schema.js';
import { entriesWithActionCode, type ActionCode } from './audit-event-codes.js';
import { staffIdsOf, toAuditEvent } from './audit-event.js';

/** A date bound after FHIR's prefixes, over the half-open range [start, end) a value covers. */
export interface AuditDateBound {
  prefix: 'eq' | 'gt' | 'ge' | 'lt' | 'le';
  start: Date;
  end: Date;
}

/** One search parameter's condition; its values are alternatives (OR). */
export type AuditEventFilter =
  | { on: 'id'; sequences: number[] }
  | { on: 'date'; any: AuditDateBound[] }
  | { on: 'patient'; ids: string[] }
  /** The staff account (or participant session) that acted. */
  | { on: 'agent'; ids: string[] }
  | { on: 'action'; codes: ActionCode[] }
  /** SafeConsult's own action names (the `urn:safeconsult:audit-action` subtype). */
  | { on: 'subtype'; actions: string[] }
  /** FHIR's outcome codes: 0 success, 4 minor failure (refused or failed); 8 and 12 never occur. */
  | { on: 'outcome'; codes: string[] };

export interface AuditEventSearch {
  /** All must hold (AND). */
  filters: AuditEventFilter[];
  descending: boolean;
  offset: number;
  count: number;
  /** The ledger size a first page saw: later pages keep to it, so new entries shift nothing. */
  throughSequence?: number | undefined;
}

const NOTHING = sql`false`;

function dateCondition(b: AuditDateBound): SQL | undefined {
  switch (b.prefix) {
    case 'eq':
      return and(gte(auditEntry.at, b.start), lt(auditEntry.at, b.end));
    case 'gt':
      return gte(auditEntry.at, b.end);
    case 'ge':
      return gte(auditEntry.at, b.start);
    case 'lt':
      return lt(auditEntry.at, b.start);
    case 'le':
      return lt(auditEntry.at, b.end);
  }
}

function actionCondition(code: ActionCode): SQL {
  const { categories, access } = entriesWithActionCode(code);
  const accessPart =
    'in' in access
      ? access.in.length > 0
        ? and(eq(auditEntry.category, 'access'), inArray(auditEntry.action, access.in))
        : undefined
      : and(eq(auditEntry.category, 'access'), notInArray(auditEntry.action, access.notIn));
  return (
    or(categories.length > 0 ? inArray(auditEntry.category, categories) : undefined, accessPart) ??
    NOTHING
  );
}

const OUTCOMES: Record<string, string[]> = {
  '0': ['allowed', 'succeeded'],
  '4': ['refused', 'failed'],
};

function conditionOf(f: AuditEventFilter): SQL | undefined {
  switch (f.on) {
    case 'id':
      return inArray(auditEntry.sequence, f.sequences);
    case 'date':
      return or(...f.any.map(dateCondition));
    case 'patient':
      return inArray(auditEntry.patientId, f.ids);
    case 'agent':
      return inArray(auditEntry.actorId, f.ids);
    case 'action':
      return or(...f.codes.map(actionCondition));
    case 'subtype':
      return inArray(auditEntry.action, f.actions);
    case 'outcome': {
      const outcomes = f.codes.flatMap((c) => OUTCOMES[c] ?? []);
      return outcomes.length > 0 ? inArray(auditEntry.outcome, outcomes) : NOTHING;
    }
  }
}

/** The AuditEvents of rows, with the staff names the mapping shows beside the ids. */
async function asAuditEvents(
  db: Queryable,
  rows: Parameters<typeof staffIdsOf>[0],
  publicUrl: string,
) {
  const names = await staffNames(db, staffIdsOf(rows));
  return rows.map((row) => toAuditEvent(row, { publicUrl, staffNames: names }));
}

/**
 * Integrated ledger entries as AuditEvents, by time (then ledger position), a page at a time.
 * Every filter is on a stored column (time, patient, actor, category, action, outcome), so the
 * ledger's indexes serve it; the count and the page read only entries up to one ledger size, and
 * integrated entries never change, so the pages of one search neither repeat nor skip.
 */
export async function searchAuditEvents(
  db: Queryable,
  search: AuditEventSearch,
  publicUrl: string,
): Promise<{ events: AuditEvent[]; total: number; throughSequence: number }> {
  let through = search.throughSequence;
  if (through === undefined) {
    const [size] = await db.select({ last: max(auditEntry.sequence) }).from(auditEntry);
    through = size?.last ?? 0;
  }
  const where = and(
    isNotNull(auditEntry.sequence),
    lte(auditEntry.sequence, through),
    ...search.filters.map(conditionOf),
  );
  const order = search.descending ? desc : asc;
  const [counted] = await db.select({ n: count() }).from(auditEntry).where(where);
  const rows = await db
    .select()
    .from(auditEntry)
    .where(where)
    .orderBy(order(auditEntry.at), order(auditEntry.sequence))
    .limit(search.count)
    .offset(search.offset);
  return {
    events: await asAuditEvents(db, rows, publicUrl),
    total: counted?.n ?? 0,
    throughSequence: through,
  };
}

/** One integrated ledger entry as an AuditEvent, by its ledger position (the AuditEvent's id). */
export async function auditEventAt(
  db: Queryable,
  sequence: number,
  publicUrl: string,
): Promise<AuditEvent | undefined> {
  const rows = await db.select().from(auditEntry).where(eq(auditEntry.sequence, sequence));
  return rows.length > 0 ? (await asAuditEvents(db, rows, publicUrl))[0] : undefined;
}

/**
 * The ledger entry that records a read of the ledger as AuditEvents through the FHIR API: an
 * export of the trail like the NDJSON one (so the bulk-export alert counts it), with how many
 * entries left and the ledger position they were read up to.
 */
export function auditEventsReadEntry(input: {
  at: Date;
  actor: { id: string; role: string };
  requestId: string;
  address: string;
  interaction: 'read' | 'search-type';
  count: number;
  throughSequence?: number;
}): AuditEntryInput {
  return {
    at: input.at,
    category: 'export',
    action: 'audit_read',
    outcome: 'succeeded',
    actor: { type: 'staff', id: input.actor.id, role: input.actor.role },
    resource: { type: 'AuditLog', id: 'audit-trail' },
    requestId: input.requestId,
    address: input.address,
    detail: {
      format: 'fhir-r4-auditevent',
      interaction: input.interaction,
      count: input.count,
      ...(input.throughSequence === undefined ? {} : { throughSequence: input.throughSequence }),
    },
  };
}
