import { describe, expect, it } from 'vitest';
import { CompactRange, rootOfLeafHashes } from './compact-range.js';
import { consistencyProof, consistencyProofRanges, verifyConsistency } from './consistency.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
import { inclusionProof, inclusionProofRanges, verifyInclusion } from './inclusion.js';
import { subtreesOf, treeRoot } from './subtree-source.js';

/** Seeded, so a failure can be repeated. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

const MAX = 3000;
const leaves = Array.from({ length: MAX }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));

/** RFC 9162 §2.1 as the RFC writes it, recursively: the reference the fast code must match. */
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return d[0] as Buffer;
  const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
  return hashChildren(mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

/** Every single-bit change of every hash given to the verifier. */
function* flips(hashes: Buffer[]): Generator<Buffer[]> {
  for (let h = 0; h < hashes.length; h += 1) {
    for (let byte = 0; byte < 32; byte += 1) {
      const changed = hashes.map((x) => Buffer.from(x));
      const target = changed[h] as Buffer;
      target[byte] = (target[byte] as number) ^ (1 << (byte % 8));
      yield changed;
    }
  }
}

/**
 * Claimed tree sizes are not tampered with: a proof binds the size only through the root (some
 * paths fit two sizes alike, as RFC 9162 allows), and a signed tree head binds the two together.
 */
const sizesToTry = (rand: (below: number) => number) => [
  ...[1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 1023, 1024, 1025, MAX],
  ...Array.from({ length: 10 }, () => 1 + rand(MAX)),
];

describe('Merkle tree properties', () => {
  it('reports every complete subtree as its last leaf arrives, with the hash MTH gives it', () => {
    const seen = new Map<string, Buffer>();
    const range = new CompactRange();
    for (const leaf of leaves.slice(0, 1100)) {
      range.append(leaf, ({ level, index }, hash) => seen.set(`${level}/${index}`, hash));
    }
    let expected = 0;
    for (let level = 0; 2 ** level <= 1100; level += 1) {
      const width = 2 ** level;
      for (let index = 0; (index + 1) * width <= 1100; index += 1) {
        expected += 1;
        const hash = seen.get(`${level}/${index}`);
        expect(hash, `${level}/${index}`).toEqual(
          mth(leaves.slice(index * width, (index + 1) * width)),
        );
      }
    }
    expect(seen.size).toBe(expected);
  });

  it('agree with the recursive definitions of RFC 9162 for every small tree', () => {
    for (let n = 0; n <= 33; n += 1) {
      const d = leaves.slice(0, n);
      expect(treeRoot(leaves, n).equals(mth(d))).toBe(true);
      for (let m = 0; m < n; m += 1) expect(inclusionProof(m, n, leaves)).toEqual(path(m, d));
      for (let m = 1; m <= n; m += 1) {
        expect(consistencyProof(m, n, leaves)).toEqual(subproof(m, d, true));
      }
    }
  });

  it('give the same root streamed, resumed from a frontier, or from the array', () => {
    const rand = random(7);
    const checkpoints = new Set(sizesToTry(rand));
    const range = new CompactRange();
    expect(range.root().equals(EMPTY_ROOT)).toBe(true);
    for (let n = 1; n <= MAX; n += 1) {
      range.append(leaves[n - 1] as Buffer);
      if (!checkpoints.has(n)) continue;
      const root = range.root();
      expect(root.equals(treeRoot(leaves, n))).toBe(true);
      if (n <= 300) expect(root.equals(mth(leaves.slice(0, n)))).toBe(true);
      const resumed = CompactRange.fromFrontier(n, range.frontier);
      for (let i = n; i < Math.min(n + 50, MAX); i += 1) resumed.append(leaves[i] as Buffer);
      expect(resumed.root().equals(rootOfLeafHashes(leaves.slice(0, resumed.size)))).toBe(true);
    }
  });

  it('verify every inclusion proof they generate, and no proof with a bit changed', () => {
    const rand = random(11);
    for (const n of sizesToTry(rand)) {
      const root = treeRoot(leaves, n);
      for (const m of new Set([0, n - 1, rand(n)])) {
        const proof = inclusionProof(m, n, leaves);
        const leaf = leaves[m] as Buffer;
        expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
        expect(verifyInclusion(m + 1, n, leaf, proof, root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(m, n, leaf, proof.slice(1), root)).toBe(false);
        expect(verifyInclusion(m, n, leaf, [...proof, root], root)).toBe(false);
        let accepted = 0;
        for (const [l, r, ...p] of flips([leaf, root, ...proof])) {
          if (verifyInclusion(m, n, l as Buffer, p, r as Buffer)) accepted += 1;
        }
        expect(accepted).toBe(0);
      }
    }
  });

  it('verify every consistency proof they generate, and no proof with a bit changed', () => {
    const rand = random(13);
    for (const n of sizesToTry(rand)) {
      const root2 = treeRoot(leaves, n);
      for (const m of new Set([1, n, 1 + rand(n)])) {
        const root1 = treeRoot(leaves, m);
        const proof = consistencyProof(m, n, leaves);
        expect(verifyConsistency(m, n, root1, root2, proof)).toBe(true);
        if (m === n) continue;
        expect(verifyConsistency(m + 1, n, root1, root2, proof)).toBe(false);
        expect(verifyConsistency(m, n, root2, root1, proof)).toBe(false);
        expect(verifyConsistency(m, n, root1, root2, proof.slice(0, -1))).toBe(false);
        let accepted = 0;
        for (const [r1, r2, ...p] of flips([root1, root2, ...proof])) {
          if (verifyConsistency(m, n, r1 as Buffer, r2 as Buffer, p)) accepted += 1;
        }
        expect(accepted).toBe(0);
      }
    }
  });

  it('name the ranges a store must hash, each a run of complete subtrees', () => {
    expect(inclusionProofRanges(0, 7)).toEqual([
      { start: 1, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 7 },
    ]);
    expect(consistencyProofRanges(3, 7)).toEqual([
      { start: 2, end: 3 },
      { start: 3, end: 4 },
      { start: 0, end: 2 },
      { start: 4, end: 7 },
    ]);
    expect(consistencyProofRanges(4, 4)).toEqual([]);
    expect(inclusionProofRanges(0, 7).flatMap(subtreesOf)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(() => subtreesOf({ start: 1, end: 3 })).toThrow(/do not start a subtree/);
  });

  it('refuse to prove what is not there, and refuse malformed input', () => {
    expect(() => inclusionProof(5, 5, leaves)).toThrow(RangeError);
    expect(() => inclusionProof(0, MAX + 1, leaves)).toThrow(/beyond the 3000 given/);
    expect(() => consistencyProof(0, 5, leaves)).toThrow(RangeError);
    expect(() => consistencyProof(6, 5, leaves)).toThrow(RangeError);
    expect(() => new CompactRange().append(Buffer.alloc(31))).toThrow(RangeError);
    expect(() => CompactRange.fromFrontier(3, [leaves[0] as Buffer])).toThrow(RangeError);
    expect(() => treeRoot(leaves, -1)).toThrow(RangeError);
    const leaf = leaves[0] as Buffer;
    expect(verifyInclusion(0.5, 1, leaf, [], leaf)).toBe(false);
    expect(verifyInclusion(0, 2 ** 53, leaf, [], leaf)).toBe(false);
  });
});
