import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { canonicalLeaf } from '../ledger/entry.js';
import { hashLeaf } from '../merkle/hash.js';
import { auditEntry, auditSubtree } from '../schema.js';
import {
  storedConsistencyProof,
  storedInclusionProof,
  type ProofHashStore,
} from './proof-hashes.js';

/** An array parameter as a text literal of whole numbers, the form both stores' drivers accept. */
const numbers = (values: readonly number[]) => `{${values.join(',')}}`;

/** The ledger's tables as a ProofHashStore: one query for the subtrees, one for the leaves. */
export function ledgerProofHashes(db: Queryable): ProofHashStore {
  return {
    subtrees: (wanted) =>
      db
        .select({ level: auditSubtree.level, index: auditSubtree.index, hash: auditSubtree.hash })
        .from(auditSubtree)
        .where(
          sql`(${auditSubtree.level}, ${auditSubtree.index}) in (select * from unnest(
            ${numbers(wanted.map((s) => s.level))}::integer[],
            ${numbers(wanted.map((s) => s.index))}::bigint[]))`,
        ),
    leaves: async (wanted) => {
      const sequences = wanted.flatMap(({ start, end }) =>
        Array.from({ length: end - start }, (_, i) => start + i + 1),
      );
      const rows = await db
        .select({ sequence: auditEntry.sequence, leafHash: auditEntry.leafHash })
        .from(auditEntry)
        .where(sql`${auditEntry.sequence} = any(${numbers(sequences)}::bigint[])`);
      return rows.flatMap(({ sequence, leafHash }) =>
        sequence !== null && leafHash !== null ? [{ index: sequence - 1, hash: leafHash }] : [],
      );
    },
  };
}

export interface StoredInclusionProof {
  /** The leaf hash rebuilt from the entry's columns, so a changed entry fails its proof. */
  leafHash: Buffer;
  /** The inclusion path, leaf to root. */
  inclusionPath: Buffer[];
}

/**
 * The proof that the entry with this sequence number (from 1) is in the tree of treeSize entries,
 * from the stored hashes. A sequence beyond treeSize is a RangeError.
 */
export async function inclusionProofFromStore(
  db: Queryable,
  sequence: number,
  treeSize: number,
): Promise<StoredInclusionProof> {
  const [inclusionPath, [row]] = await Promise.all([
    storedInclusionProof(ledgerProofHashes(db), sequence - 1, treeSize),
    db.select().from(auditEntry).where(eq(auditEntry.sequence, sequence)),
  ]);
  // Integrated entries are never deleted; a missing one is damage for the ledger's verifier.
  if (!row) throw new Error(`The audit ledger has no entry ${sequence}.`);
  return { leafHash: hashLeaf(canonicalLeaf(row, sequence)), inclusionPath };
}

/** The proof that the tree of `from` entries is a prefix of the tree of `to`, from stored hashes. */
export function consistencyProofFromStore(
  db: Queryable,
  from: number,
  to: number,
): Promise<Buffer[]> {
  return storedConsistencyProof(ledgerProofHashes(db), from, to);
}
