import { asc, isNull, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db/index.js';
import { CompactRange } from '../merkle/compact-range.js';
import { HASH_BYTES, hashLeaf } from '../merkle/hash.js';
import type { Subtree } from '../merkle/subtree-source.js';
import type { TreeHeadSigningKey } from '../tree-head/signing-key.js';
import { signTreeHead, type SignedTreeHead } from '../tree-head/tree-head.js';
import { auditEntry, auditSubtree, auditTreeHead, auditTreeState } from '../schema.js';
import { canonicalLeaf } from './entry.js';
import { latestTreeHead } from './read.js';

/** When a new head is signed: after this many entries, or this long after the last head. */
export interface HeadSchedule {
  everyEntries: number;
  everyMs: number;
}

export interface IntegrationStep {
  integrated: number;
  treeSize: number;
  /** The head signed in this step, if one was due; committed with the step. */
  head: SignedTreeHead | undefined;
}

/** Subtrees of at least 2^8 leaves are kept; smaller ones are rehashed from leaf hashes. */
export const SUBTREE_STORE_LEVEL = 8;

/** Entries integrated per transaction: large enough to amortise a commit, small enough to be brief. */
export const INTEGRATION_BATCH = 5_000;

/**
 * One integration step, in one transaction: gives the oldest pending entries the next sequence
 * numbers and their leaf hashes, advances the stored tree, and signs a head when one is due (or
 * when `forceHead` asks, as at shutdown). The tree-state row is locked for the step, so steps on
 * several nodes take turns and the sequence stays gapless.
 */
export async function integrateStep(
  db: Database,
  key: TreeHeadSigningKey,
  schedule: HeadSchedule,
  now: Date,
  forceHead = false,
): Promise<IntegrationStep> {
  return db.transaction(async (tx) => {
    const tree = await lockTree(tx, now);
    const pending = await tx
      .select()
      .from(auditEntry)
      .where(isNull(auditEntry.sequence))
      .orderBy(asc(auditEntry.id))
      .limit(INTEGRATION_BATCH);
    const ids: number[] = [];
    const hashes: string[] = [];
    const subtrees: (typeof auditSubtree.$inferInsert)[] = [];
    const keepSubtree = ({ level, index }: Subtree, hash: Buffer) => {
      if (level >= SUBTREE_STORE_LEVEL) subtrees.push({ level, index, hash });
    };
    for (const row of pending) {
      const leafHash = hashLeaf(canonicalLeaf(row, tree.size + 1));
      tree.append(leafHash, keepSubtree);
      ids.push(row.id);
      hashes.push(leafHash.toString('hex'));
    }
    const first = tree.size - pending.length + 1;
    if (pending.length > 0) {
      // One statement for the batch; the arrays travel as text literals of numbers and hex only.
      await tx.execute(sql`
        update audit_entry set sequence = v.sequence, leaf_hash = decode(v.hash, 'hex')
        from (select unnest(${`{${ids.join(',')}}`}::bigint[]) as id,
                     generate_series(${first}::bigint, ${tree.size}::bigint) as sequence,
                     unnest(${`{${hashes.join(',')}}`}::text[]) as hash) as v
        where audit_entry.id = v.id`);
      if (subtrees.length > 0) await tx.insert(auditSubtree).values(subtrees);
      await tx.update(auditTreeState).set({
        treeSize: tree.size,
        rootHash: tree.root(),
        frontier: Buffer.concat(tree.frontier),
        updatedAt: now,
      });
    }
    const head = (await headDue(tx, tree.size, schedule, now, forceHead))
      ? signTreeHead({ treeSize: tree.size, rootHash: tree.root(), timestamp: now.getTime() }, key)
      : undefined;
    if (head) {
      const { rootHash, signature } = head;
      await tx
        .insert(auditTreeHead)
        .values({ ...head, rootHash: Buffer.from(rootHash), signature: Buffer.from(signature) });
    }
    return { integrated: pending.length, treeSize: tree.size, head };
  });
}

async function lockTree(tx: Queryable, now: Date): Promise<CompactRange> {
  const empty = new CompactRange();
  await tx
    .insert(auditTreeState)
    .values({ treeSize: 0, rootHash: empty.root(), frontier: Buffer.alloc(0), updatedAt: now })
    .onConflictDoNothing();
  const [state] = await tx.select().from(auditTreeState).for('update');
  if (!state) throw new Error('The audit tree state row is missing after it was ensured.');
  const frontier = Array.from({ length: state.frontier.length / HASH_BYTES }, (_, i) =>
    state.frontier.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES),
  );
  return CompactRange.fromFrontier(state.treeSize, frontier);
}

async function headDue(
  tx: Queryable,
  treeSize: number,
  schedule: HeadSchedule,
  now: Date,
  force: boolean,
): Promise<boolean> {
  const last = await latestTreeHead(tx);
  if (!last) return treeSize > 0;
  if (treeSize <= last.treeSize) return false;
  return (
    force ||
    treeSize - last.treeSize >= schedule.everyEntries ||
    now.getTime() - last.timestamp >= schedule.everyMs
  );
}
