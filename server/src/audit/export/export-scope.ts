import { and, asc, count, gt, gte, isNotNull, lt, lte, max, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditEntryRow } from '../ledger/entry.js';
import { auditEntry } from '../schema.js';

export interface ExportRange {
  /** Recorded at or after; the ledger's start when absent. */
  since?: Date | undefined;
  /** Recorded before. */
  until: Date;
  /** Only entries after this ledger position: where a SIEM's last pull ended. */
  afterSequence?: number | undefined;
}

/** What an export covers, fixed before its first line is sent. */
export interface ExportScope {
  range: ExportRange;
  /** The last ledger position at the start: entries integrated later wait for the next export. */
  throughSequence: number;
  count: number;
}

const PAGE = 500;

/**
 * Only integrated entries are exported: each then carries its ledger position and leaf hash, which
 * a SIEM can check against the signed tree heads, and a repeated pull after a position misses
 * nothing (positions are gapless and given in order; an entry waits well under a second for one).
 */
function inScope(range: ExportRange, throughSequence: number, after?: number): SQL | undefined {
  return and(
    isNotNull(auditEntry.sequence),
    lte(auditEntry.sequence, throughSequence),
    gt(auditEntry.sequence, Math.max(after ?? 0, range.afterSequence ?? 0)),
    range.since ? gte(auditEntry.at, range.since) : undefined,
    lt(auditEntry.at, range.until),
  );
}

/**
 * Fixes the scope of an export: the ledger's size now and how many entries of the range it holds.
 * Integrated entries never change, so the lines sent afterwards are exactly these.
 */
export async function exportScope(db: Queryable, range: ExportRange): Promise<ExportScope> {
  const [size] = await db.select({ last: max(auditEntry.sequence) }).from(auditEntry);
  const throughSequence = size?.last ?? 0;
  const [counted] = await db
    .select({ n: count() })
    .from(auditEntry)
    .where(inScope(range, throughSequence));
  return { range, throughSequence, count: counted?.n ?? 0 };
}

/** The scope's entries in ledger order, a page at a time, with no transaction held between pages. */
export async function* entriesInScope(
  db: Queryable,
  scope: ExportScope,
): AsyncGenerator<AuditEntryRow[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEntry)
      .where(inScope(scope.range, scope.throughSequence, after))
      .orderBy(asc(auditEntry.sequence))
      .limit(PAGE);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)?.sequence ?? scope.throughSequence;
  }
}
