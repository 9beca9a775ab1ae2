import { and, asc, count, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { SignedTreeHead } from '../tree-head/tree-head.js';
import type { LedgerEntry } from '../verify/ledger-report.js';
import { auditEntry, auditTreeHead, auditTreeState } from '../schema.js';
import { canonicalLeaf } from './entry.js';

const PAGE = 10_000;

/**
 * The integrated entries in sequence order, each as the verifier checks it: its leaf rebuilt from
 * the stored columns, beside the leaf hash stored with it. Read in pages by sequence, so memory
 * stays flat however long the ledger is.
 */
export async function* storedLedgerEntries(db: Queryable): AsyncGenerator<LedgerEntry> {
  let after = Number.NEGATIVE_INFINITY;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEntry)
      .where(
        and(
          isNotNull(auditEntry.sequence),
          Number.isFinite(after) ? gt(auditEntry.sequence, after) : undefined,
        ),
      )
      .orderBy(asc(auditEntry.sequence))
      .limit(PAGE);
    for (const row of rows) {
      const sequence = row.sequence as number;
      yield {
        sequence,
        leaf: canonicalLeaf(row, sequence),
        leafHash: row.leafHash ?? Buffer.alloc(0),
      };
    }
    if (rows.length < PAGE) return;
    after = (rows[rows.length - 1] as { sequence: number }).sequence;
  }
}

const headColumns = {
  treeSize: auditTreeHead.treeSize,
  rootHash: auditTreeHead.rootHash,
  timestamp: auditTreeHead.timestamp,
  keyId: auditTreeHead.keyId,
  signature: auditTreeHead.signature,
};

export async function storedTreeHeads(db: Queryable): Promise<SignedTreeHead[]> {
  return db
    .select(headColumns)
    .from(auditTreeHead)
    .orderBy(asc(auditTreeHead.treeSize), asc(auditTreeHead.id));
}

/** The head of the largest tree signed, the last signed among equals; none before the first. */
export async function latestTreeHead(db: Queryable): Promise<SignedTreeHead | undefined> {
  const [head] = await db
    .select(headColumns)
    .from(auditTreeHead)
    .orderBy(desc(auditTreeHead.treeSize), desc(auditTreeHead.id))
    .limit(1);
  return head;
}

/** The last head signed for a tree of exactly this size, if any was. */
export async function treeHeadOfSize(
  db: Queryable,
  treeSize: number,
): Promise<SignedTreeHead | undefined> {
  const [head] = await db
    .select(headColumns)
    .from(auditTreeHead)
    .where(eq(auditTreeHead.treeSize, treeSize))
    .orderBy(desc(auditTreeHead.id))
    .limit(1);
  return head;
}

/** The size and root the integrator last stored; none before the first integration. */
export async function storedTreeState(
  db: Queryable,
): Promise<{ treeSize: number; rootHash: Uint8Array } | undefined> {
  const [state] = await db
    .select({ treeSize: auditTreeState.treeSize, rootHash: auditTreeState.rootHash })
    .from(auditTreeState);
  return state;
}

/** Entries committed but not yet given their place in the tree. */
export async function pendingEntryCount(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEntry).where(isNull(auditEntry.sequence));
  return row?.n ?? 0;
}
