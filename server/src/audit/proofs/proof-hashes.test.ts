import { describe, expect, it } from 'vitest';
import { SUBTREE_STORE_LEVEL } from '../ledger/integrate.js';
import { CompactRange } from '../merkle/compact-range.js';
import { consistencyProof } from '../merkle/consistency.js';
import { hashLeaf } from '../merkle/hash.js';
import { inclusionProof } from '../merkle/inclusion.js';
import type { Subtree } from '../merkle/subtree-source.js';
import type { LeafRange } from '../merkle/tree-math.js';
import {
  storedConsistencyProof,
  storedInclusionProof,
  type ProofHashStore,
  type StoredSubtree,
} from './proof-hashes.js';

/** Past 2^10, so proofs use kept subtrees of several levels beside rehashed small parts. */
const SIZE = 1300;
const leaves = Array.from({ length: SIZE }, (_, i) => hashLeaf(Buffer.from(`entry ${i + 1}`)));

/** What the integrator keeps, built the way it builds it. */
const kept: StoredSubtree[] = [];
const tree = new CompactRange();
for (const leaf of leaves) {
  tree.append(leaf, (subtree, hash) => {
    if (subtree.level >= SUBTREE_STORE_LEVEL) kept.push({ ...subtree, hash });
  });
}

/** An in-memory store of the tree at `treeSize`, counting what each proof asks of it. */
function storeOf(treeSize: number) {
  const asked = { subtreeQueries: 0, leafQueries: 0, leaves: 0 };
  const store: ProofHashStore = {
    subtrees: async (wanted: readonly Subtree[]) => {
      asked.subtreeQueries += 1;
      const complete = kept.filter((s) => (s.index + 1) * 2 ** s.level <= treeSize);
      return complete.filter((s) => wanted.some((w) => w.level === s.level && w.index === s.index));
    },
    leaves: async (wanted: readonly LeafRange[]) => {
      asked.leafQueries += 1;
      const indexes = wanted.flatMap(({ start, end }) =>
        Array.from({ length: end - start }, (_, i) => start + i),
      );
      asked.leaves += indexes.length;
      return indexes
        .filter((index) => index < treeSize)
        .map((index) => ({ index, hash: leaves[index] as Buffer }));
    },
  };
  return { store, asked };
}

const SIZES = [1, 2, 3, 255, 256, 257, 511, 512, 513, 700, 1023, 1024, 1025, 1299, 1300];

describe('proofs from stored hashes', () => {
  it('match the in-memory inclusion proofs, asking once for subtrees and once for leaves', async () => {
    for (const treeSize of SIZES) {
      const indexes = new Set([
        0,
        1,
        Math.floor(treeSize / 2),
        treeSize - 2,
        treeSize - 1,
        255,
        256,
        700,
      ]);
      for (const leafIndex of [...indexes].filter((i) => i >= 0 && i < treeSize)) {
        const { store, asked } = storeOf(treeSize);
        const proof = await storedInclusionProof(store, leafIndex, treeSize);
        expect(proof, `${leafIndex} in ${treeSize}`).toEqual(
          inclusionProof(leafIndex, treeSize, leaves),
        );
        expect(asked.subtreeQueries).toBeLessThanOrEqual(1);
        expect(asked.leafQueries).toBeLessThanOrEqual(1);
        // Beside the path, and along the right edge: fewer than 2 × 2^8 leaves whatever the size.
        expect(asked.leaves).toBeLessThan(2 * 2 ** SUBTREE_STORE_LEVEL);
      }
    }
  });

  it('match the in-memory consistency proofs between many pairs of sizes', async () => {
    for (const to of SIZES) {
      for (const from of SIZES.filter((size) => size <= to)) {
        const { store, asked } = storeOf(to);
        const proof = await storedConsistencyProof(store, from, to);
        expect(proof, `${from} to ${to}`).toEqual(consistencyProof(from, to, leaves));
        expect(asked.subtreeQueries).toBeLessThanOrEqual(1);
        expect(asked.leafQueries).toBeLessThanOrEqual(1);
        expect(asked.leaves).toBeLessThan(2 * 2 ** SUBTREE_STORE_LEVEL);
      }
    }
  });

  it('needs only kept subtrees and a few hundred leaves for a large tree', async () => {
    // What a proof asks for depends only on the sizes, so any hash will do for the answers.
    const asked = { subtrees: 0, leaves: 0 };
    const filler: ProofHashStore = {
      subtrees: async (wanted) => {
        asked.subtrees += wanted.length;
        return wanted.map((s) => ({ ...s, hash: leaves[0] as Buffer }));
      },
      leaves: async (wanted) => {
        const indexes = wanted.flatMap(({ start, end }) =>
          Array.from({ length: end - start }, (_, i) => start + i),
        );
        asked.leaves += indexes.length;
        return indexes.map((index) => ({ index, hash: leaves[0] as Buffer }));
      },
    };
    await storedInclusionProof(filler, 123_456, 1_000_003);
    expect(asked.subtrees).toBeLessThanOrEqual(2 * 20);
    expect(asked.leaves).toBeLessThan(2 * 2 ** SUBTREE_STORE_LEVEL);
  });

  it('refuses to make a proof from a store that lacks a hash', async () => {
    const { store } = storeOf(SIZE);
    const missingLeaf: ProofHashStore = { ...store, leaves: async () => [] };
    await expect(storedInclusionProof(missingLeaf, 3, SIZE)).rejects.toThrow(/no hash for leaf/);
    const missingSubtree: ProofHashStore = { ...store, subtrees: async () => [] };
    await expect(storedConsistencyProof(missingSubtree, 600, SIZE)).rejects.toThrow(
      /no hash for subtree/,
    );
  });
});
