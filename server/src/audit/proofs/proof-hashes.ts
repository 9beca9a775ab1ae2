import { SUBTREE_STORE_LEVEL } from '../ledger/integrate.js';
import { rootOfLeafHashes } from '../merkle/compact-range.js';
import { consistencyProof, consistencyProofRanges } from '../merkle/consistency.js';
import { inclusionProof, inclusionProofRanges } from '../merkle/inclusion.js';
import { subtreesOf, type Subtree, type SubtreeHasher } from '../merkle/subtree-source.js';
import type { LeafRange } from '../merkle/tree-math.js';

export interface StoredSubtree extends Subtree {
  hash: Uint8Array;
}

export interface StoredLeaf {
  /** From 0: the entry with sequence number index + 1. */
  index: number;
  hash: Uint8Array;
}

/**
 * Where a proof's hashes come from: the kept hashes of complete subtrees of level ≥
 * SUBTREE_STORE_LEVEL, and leaf hashes for the smaller parts. A proof asks each once, for all it
 * needs, so a store answers with two queries rather than one per node.
 */
export interface ProofHashStore {
  subtrees(wanted: readonly Subtree[]): Promise<readonly StoredSubtree[]>;
  leaves(wanted: readonly LeafRange[]): Promise<readonly StoredLeaf[]>;
}

/** Leaves [start, end) of a complete subtree. */
export function leavesOfSubtree({ level, index }: Subtree): LeafRange {
  const width = 2 ** level;
  return { start: index * width, end: (index + 1) * width };
}

/**
 * Fetches at once every hash the roots of these ranges are made of, and hashes from what came
 * back. A proof over n leaves needs O(log n) subtrees and fewer than 2 × 2^SUBTREE_STORE_LEVEL
 * leaves (the parts beside the leaf's path and the right edge of the tree).
 */
export async function prefetchedHasher(
  store: ProofHashStore,
  ranges: readonly LeafRange[],
): Promise<SubtreeHasher> {
  const parts = ranges.flatMap(subtreesOf);
  const kept = parts.filter(({ level }) => level >= SUBTREE_STORE_LEVEL);
  const small = parts.filter(({ level }) => level < SUBTREE_STORE_LEVEL).map(leavesOfSubtree);
  const [subtrees, leaves] = await Promise.all([
    kept.length > 0 ? store.subtrees(kept) : [],
    small.length > 0 ? store.leaves(small) : [],
  ]);
  const subtreeHashes = new Map(subtrees.map((s) => [subtreeKey(s), s.hash]));
  const leafHashes = new Map(leaves.map((leaf) => [leaf.index, leaf.hash]));
  return (level, index) => {
    if (level >= SUBTREE_STORE_LEVEL) {
      return found(subtreeHashes.get(subtreeKey({ level, index })), `subtree ${level}/${index}`);
    }
    const { start, end } = leavesOfSubtree({ level, index });
    const hashes = Array.from({ length: end - start }, (_, i) =>
      found(leafHashes.get(start + i), `leaf ${start + i}`),
    );
    return rootOfLeafHashes(hashes);
  };
}

/** RFC 9162 inclusion proof of a leaf (from 0) in the tree of treeSize leaves, from a store. */
export async function storedInclusionProof(
  store: ProofHashStore,
  leafIndex: number,
  treeSize: number,
): Promise<Buffer[]> {
  const hasher = await prefetchedHasher(store, inclusionProofRanges(leafIndex, treeSize));
  return inclusionProof(leafIndex, treeSize, hasher);
}

/** RFC 9162 consistency proof from the tree of size1 leaves to the tree of size2, from a store. */
export async function storedConsistencyProof(
  store: ProofHashStore,
  size1: number,
  size2: number,
): Promise<Buffer[]> {
  const hasher = await prefetchedHasher(store, consistencyProofRanges(size1, size2));
  return consistencyProof(size1, size2, hasher);
}

const subtreeKey = ({ level, index }: Subtree) => `${level}/${index}`;

function found(hash: Uint8Array | undefined, what: string): Uint8Array {
  // Only a tree larger than the integrated one, or a store missing rows, lacks a hash it needs.
  if (!hash) throw new Error(`The audit store has no hash for ${what} of the tree.`);
  return hash;
}
