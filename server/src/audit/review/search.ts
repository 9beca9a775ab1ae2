import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { AuditCategory, AuditOutcome, AuditTrailEntry } from '@safeconsult/protocol';
import type { Queryable } from '../../platform/db/index.js';
import { toAuditEntry } from '../ledger/entry.js';
import { auditEntry } from '../schema.js';
import { nameOf, staffNames } from './staff-names.js';

/** Where the page before ended: the last entry's time and id (entries are newest first). */
export interface AuditCursor {
  at: Date;
  id: number;
}

export interface AuditSearch {
  /** A staff account that acted, or that an entry is about. */
  userId?: string | undefined;
  patientId?: string | undefined;
  category?: AuditCategory | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** From this time on, inclusive. */
  from?: Date | undefined;
  /** Before this time. */
  to?: Date | undefined;
  ids?: readonly number[] | undefined;
  after?: AuditCursor | undefined;
  limit: number;
}

/** The cursor as the API carries it: `<milliseconds>.<id>`, opaque to clients. */
const encodeCursor = (c: AuditCursor) => `${c.at.getTime()}.${c.id}`;

export const CURSOR_PATTERN = /^(\d{1,15})\.(\d{1,18})$/;

export function decodeCursor(text: string): AuditCursor {
  const [, ms, id] = CURSOR_PATTERN.exec(text) ?? [];
  return { at: new Date(Number(ms)), id: Number(id) };
}

/**
 * The ledger entries that pass every filter given, newest first, a page at a time: each page
 * continues below the last entry of the one before (keyset paging), so entries written meanwhile
 * neither repeat nor shift a page.
 */
export async function searchAuditTrail(
  db: Queryable,
  search: AuditSearch,
): Promise<{ entries: AuditTrailEntry[]; next: string | null }> {
  const { after } = search;
  const rows = await db
    .select()
    .from(auditEntry)
    .where(
      and(
        search.userId
          ? or(eq(auditEntry.actorId, search.userId), eq(auditEntry.subjectUserId, search.userId))
          : undefined,
        search.patientId ? eq(auditEntry.patientId, search.patientId) : undefined,
        search.category ? eq(auditEntry.category, search.category) : undefined,
        search.action ? eq(auditEntry.action, search.action) : undefined,
        search.outcome ? eq(auditEntry.outcome, search.outcome) : undefined,
        search.from ? gte(auditEntry.at, search.from) : undefined,
        search.to ? lt(auditEntry.at, search.to) : undefined,
        search.ids ? inArray(auditEntry.id, [...search.ids]) : undefined,
        after
          ? sql`(${auditEntry.at}, ${auditEntry.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::bigint)`
          : undefined,
      ),
    )
    .orderBy(desc(auditEntry.at), desc(auditEntry.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const names = await staffNames(
    db,
    page.flatMap((r) => [r.actorId, r.subjectUserId]),
  );
  const last = page[page.length - 1];
  return {
    entries: page.map((row) => ({
      ...toAuditEntry(row),
      actorName: row.actorLabel ?? nameOf(names, row.actorType === 'staff' ? row.actorId : null),
      subjectName: nameOf(names, row.subjectUserId),
    })),
    next: rows.length > search.limit && last ? encodeCursor(last) : null,
  };
}
