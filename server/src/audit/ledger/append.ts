import type { Queryable } from '../../platform/db/index.js';
import { auditEntry } from '../schema.js';
import { toInsertRow, type AuditEntryInput } from './entry.js';

/**
 * Writes entries to the ledger. Pass the transaction of the change they record: the entry then
 * commits with the change or not at all. The integrator gives them their place in the tree.
 */
export async function appendAuditEntries(
  db: Queryable,
  entries: readonly AuditEntryInput[],
): Promise<void> {
  for (let at = 0; at < entries.length; at += ROWS_PER_INSERT) {
    await db.insert(auditEntry).values(entries.slice(at, at + ROWS_PER_INSERT).map(toInsertRow));
  }
}

/** PostgreSQL takes at most 65,535 parameters per statement; an entry uses 16. */
const ROWS_PER_INSERT = 2_000;
