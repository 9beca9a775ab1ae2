import { hashChildren, isHash, sameHash } from './hash.js';
import { rangeRoot, toSubtreeHasher, type LeafHashSource } from './subtree-source.js';
import { half, isCount, isOdd, isPowerOfTwo, splitPoint, type LeafRange } from './tree-math.js';

/**
 * The leaf ranges whose roots make the proof that the tree of size1 leaves is a prefix of the tree
 * of size2 (RFC 9162 §2.1.4.1, SUBPROOF unrolled), leaf to root. Equal sizes need no proof; the
 * empty tree gets none, because a proof from it would prove nothing (§2.1.4.2 asks 0 < first).
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  if (!isCount(size1) || !isCount(size2) || size1 < 1 || size1 > size2) {
    throw new RangeError(`No consistency proof from ${size1} to ${size2} leaves.`);
  }
  const nodes: LeafRange[] = [];
  let start = 0;
  let end = size2;
  // SUBPROOF's flag: whether the old tree's own root is still known to the verifier as first_hash.
  let wholeOldRoot = true;
  while (end !== size1) {
    const middle = start + splitPoint(end - start);
    if (size1 <= middle) {
      nodes.push({ start: middle, end });
      end = middle;
    } else {
      nodes.push({ start, end: middle });
      start = middle;
      wholeOldRoot = false;
    }
  }
  if (!wholeOldRoot) nodes.push({ start, end });
  return nodes.reverse();
}

export function consistencyProof(size1: number, size2: number, source: LeafHashSource): Buffer[] {
  const hasher = toSubtreeHasher(source);
  return consistencyProofRanges(size1, size2).map((range) => rangeRoot(hasher, range));
}

/**
 * RFC 9162 §2.1.4.2 for 0 < size1 < size2; for equal sizes the proof must be empty and the roots
 * equal. Malformed input is a failed proof rather than an error, since proofs come from outside.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isCount(size1) || !isCount(size2) || size1 < 1 || size1 > size2) return false;
  if (!isHash(root1) || !isHash(root2) || !proof.every(isHash)) return false;
  if (size1 === size2) return proof.length === 0 && sameHash(root1, root2);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, root1) && sameHash(sr, root2);
}
