import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompactRange, rootOfLeafHashes } from './compact-range.js';
import { consistencyProof, verifyConsistency } from './consistency.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
import { inclusionProof, verifyInclusion } from './inclusion.js';
import { treeRoot } from './subtree-source.js';

/** Published RFC 9162 test vectors, kept as published in the repository's conformance folder. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const file = path.resolve(repoRoot, 'conformance/rfc9162-merkle-vectors.json');

type Hex = string;
/** Integers above 2^53 − 1 are decimal strings in the file. */
type BigInteger = number | string;
interface Inclusion {
  leafIndex: BigInteger;
  treeSize: BigInteger;
  leafHash: Hex;
  root: Hex;
  proof: Hex[];
  desc?: string;
}
interface Consistency {
  size1: BigInteger;
  size2: BigInteger;
  root1: Hex;
  root2: Hex;
  proof: Hex[];
  desc?: string;
}
interface Vectors {
  leaves: Hex[];
  leafHashes: Hex[];
  emptyRoot: Hex;
  roots: { treeSize: number; root: Hex }[];
  subtreeHashes: { level: number; index: number; hash: Hex }[];
  inclusion: Inclusion[];
  consistency: Consistency[];
  inclusionExtra: (Inclusion & { leafInput: Hex })[];
  hasherVectors: {
    leaf: { input: Hex; hash: Hex }[];
    node: { left: Hex; right: Hex; hash: Hex }[];
    empty: Hex;
  };
  negative: {
    inclusion: (Inclusion & { expect: string })[];
    consistency: (Consistency & { expect: string })[];
    acceptedEdgeCases: Consistency[];
  };
}

const vectors = JSON.parse(readFileSync(file, 'utf8')) as Vectors;
const bytes = (hex: Hex) => Buffer.from(hex, 'hex');
const hex = (buffer: Uint8Array) => Buffer.from(buffer).toString('hex');
/** A ledger index is a safe integer: a larger value stays unsafe here and must be refused. */
const count = (value: BigInteger) => Number(value);
const leafHashes = vectors.leafHashes.map(bytes);

const includes = (v: Inclusion) =>
  verifyInclusion(
    count(v.leafIndex),
    count(v.treeSize),
    bytes(v.leafHash),
    v.proof.map(bytes),
    bytes(v.root),
  );
const consistent = (v: Consistency) =>
  verifyConsistency(
    count(v.size1),
    count(v.size2),
    bytes(v.root1),
    bytes(v.root2),
    v.proof.map(bytes),
  );

describe('RFC 9162 conformance vectors', () => {
  it('hash leaves, nodes and the empty tree', () => {
    expect(hex(EMPTY_ROOT)).toBe(vectors.emptyRoot);
    expect(hex(EMPTY_ROOT)).toBe(vectors.hasherVectors.empty);
    expect(vectors.leaves.map((leaf) => hex(hashLeaf(bytes(leaf))))).toEqual(vectors.leafHashes);
    for (const v of vectors.hasherVectors.leaf) expect(hex(hashLeaf(bytes(v.input)))).toBe(v.hash);
    for (const v of vectors.hasherVectors.node) {
      expect(hex(hashChildren(bytes(v.left), bytes(v.right)))).toBe(v.hash);
    }
  });

  it('give the roots of sizes 0–8 from an array, a streamed frontier and a subtree source', () => {
    expect(vectors.roots.map((r) => r.treeSize)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const range = new CompactRange();
    for (const { treeSize, root } of vectors.roots) {
      while (range.size < treeSize) range.append(leafHashes[range.size] as Buffer);
      expect(hex(range.root())).toBe(root);
      expect(hex(rootOfLeafHashes(leafHashes.slice(0, treeSize)))).toBe(root);
      expect(hex(treeRoot(leafHashes, treeSize))).toBe(root);
      expect(hex(treeRoot(subtreeHasher, treeSize))).toBe(root);
    }
  });

  it('give every published subtree hash', () => {
    expect(vectors.subtreeHashes).toHaveLength(15);
    for (const { level, index, hash } of vectors.subtreeHashes) {
      const start = index * 2 ** level;
      expect(hex(rootOfLeafHashes(leafHashes.slice(start, start + 2 ** level)))).toBe(hash);
    }
  });

  it('generate and verify every inclusion proof', () => {
    expect(vectors.inclusion.length).toBeGreaterThan(0);
    for (const v of vectors.inclusion) {
      const index = count(v.leafIndex);
      const size = count(v.treeSize);
      expect(inclusionProof(index, size, leafHashes).map(hex)).toEqual(v.proof);
      expect(inclusionProof(index, size, subtreeHasher).map(hex)).toEqual(v.proof);
      expect(includes(v)).toBe(true);
    }
  });

  it('verify the inclusion proofs taken from real logs', () => {
    for (const v of vectors.inclusionExtra) {
      expect(hex(hashLeaf(bytes(v.leafInput)))).toBe(v.leafHash);
      expect(includes(v)).toBe(true);
    }
  });

  it('generate and verify every consistency proof', () => {
    expect(vectors.consistency.length).toBeGreaterThan(0);
    for (const v of vectors.consistency) {
      const [size1, size2] = [count(v.size1), count(v.size2)];
      expect(consistencyProof(size1, size2, leafHashes).map(hex)).toEqual(v.proof);
      expect(consistencyProof(size1, size2, subtreeHasher).map(hex)).toEqual(v.proof);
      expect(consistent(v)).toBe(true);
    }
  });

  it('reject all 184 cases a verifier must reject', () => {
    const { inclusion, consistency } = vectors.negative;
    expect(inclusion.length + consistency.length).toBe(184);
    const accepted = [
      ...inclusion.filter((v) => v.expect !== 'reject' || includes(v)),
      ...consistency.filter((v) => v.expect !== 'reject' || consistent(v)),
    ].map((v) => v.desc);
    expect(accepted).toEqual([]);
  });

  it('accept equal sizes with an empty proof and equal roots, only as real 32-byte roots', () => {
    // Upstream accepts this probe with 12-byte placeholder roots; this verifier requires every hash
    // to be 32 bytes (the conformance "length" class), so it holds the same case with real roots.
    const [edge] = vectors.negative.acceptedEdgeCases;
    expect(edge).toMatchObject({ size1: 1, size2: 1, proof: [] });
    expect(consistent(edge as Consistency)).toBe(false);
    const root = vectors.roots[1]?.root as Hex;
    expect(consistent({ ...(edge as Consistency), root1: root, root2: root })).toBe(true);
  });
});

/** A store that answers from its own table of subtree hashes, as a large ledger would. */
function subtreeHasher(level: number, index: number): Uint8Array {
  const found = vectors.subtreeHashes.find((s) => s.level === level && s.index === index);
  if (!found) throw new Error(`no subtree hash at level ${level}, index ${index}`);
  return bytes(found.hash);
}
