import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { SecurityEvent, SecurityEventType } from '@safeconsult/protocol';
import { appendAuditEntries, auditEntryTable as auditEntry } from '../audit/index.js';
import type { Queryable } from '../platform/db/index.js';
import { staffUser } from './schema.js';

export interface SecurityEventInput {
  type: SecurityEventType;
  /** The staff account the event is about. */
  userId?: string | undefined;
  address?: string | undefined;
  /** `by`: the staff account that acted, when another than `userId` (an admin unlocking one). */
  detail?: Record<string, string | number | boolean>;
  /** SafeConsult itself acted (an alert rule), not the account the event is about. */
  bySystem?: boolean;
  /** A registered system client acted (asked for an access token). */
  byClient?: string;
}

/** Attempts that did not get through; every other event records something that happened. */
const FAILURES: ReadonlySet<SecurityEventType> = new Set([
  'sign_in_failed',
  'sign_in_throttled',
  'participant_check_failed',
  'client_token_refused',
]);

/**
 * Records a security event in the audit ledger. Pass the transaction of the change it describes,
 * so the event commits with it.
 */
export async function recordSecurityEvent(db: Queryable, event: SecurityEventInput, now: Date) {
  const by = event.detail?.by;
  const actorId = typeof by === 'string' ? by : (event.userId ?? null);
  await appendAuditEntries(db, [
    {
      at: now,
      category: 'security',
      action: event.type,
      outcome: FAILURES.has(event.type) ? 'failed' : 'succeeded',
      actor: event.byClient
        ? { type: 'client', id: event.byClient }
        : event.bySystem
          ? { type: 'system', id: null }
          : { type: actorId ? 'staff' : 'anonymous', id: actorId },
      subjectUserId: event.userId ?? null,
      address: event.address ?? null,
      detail: event.detail ?? null,
    },
  ]);
}

export interface SecurityEventFilter {
  limit: number;
  /** Only these types; all when absent. */
  types?: readonly SecurityEventType[] | undefined;
  userId?: string | undefined;
  /** From this time on, inclusive. */
  since?: Date | undefined;
  /** Before this time. */
  until?: Date | undefined;
}

/** The newest events that pass the filter, each with the name and e-mail of its account. */
export async function listSecurityEvents(
  db: Queryable,
  filter: SecurityEventFilter,
): Promise<SecurityEvent[]> {
  const rows = await db
    .select({ event: auditEntry, displayName: staffUser.displayName, email: staffUser.email })
    .from(auditEntry)
    .leftJoin(staffUser, eq(staffUser.id, auditEntry.subjectUserId))
    .where(
      and(
        eq(auditEntry.category, 'security'),
        filter.types ? inArray(auditEntry.action, [...filter.types]) : undefined,
        filter.userId ? eq(auditEntry.subjectUserId, filter.userId) : undefined,
        filter.since ? gte(auditEntry.at, filter.since) : undefined,
        filter.until ? lt(auditEntry.at, filter.until) : undefined,
      ),
    )
    .orderBy(desc(auditEntry.id))
    .limit(filter.limit);
  return rows.map(({ event: e, displayName, email }) => ({
    id: e.id,
    at: e.at.toISOString(),
    // Security entries are written only through recordSecurityEvent, typed by the same list.
    type: e.action as SecurityEventType,
    userId: e.subjectUserId,
    user: displayName !== null && email !== null ? { displayName, email } : null,
    address: e.address,
    detail: e.detail ?? null,
  }));
}
