import { hashChildren, isHash, sameHash } from './hash.js';
import { rangeRoot, toSubtreeHasher, type LeafHashSource } from './subtree-source.js';
import { half, isCount, isOdd, splitPoint, type LeafRange } from './tree-math.js';

/**
 * The leaf ranges whose roots make the inclusion proof of a leaf (RFC 9162 §2.1.3.1), leaf to
 * root. With subtreesOf, they name the subtree hashes a store must fetch for the proof.
 */
export function inclusionProofRanges(leafIndex: number, treeSize: number): LeafRange[] {
  if (!isCount(treeSize) || !isCount(leafIndex) || leafIndex >= treeSize) {
    throw new RangeError(`Leaf ${leafIndex} is not in a tree of ${treeSize} leaves.`);
  }
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const middle = start + splitPoint(end - start);
    if (leafIndex < middle) {
      siblings.push({ start: middle, end });
      end = middle;
    } else {
      siblings.push({ start, end: middle });
      start = middle;
    }
  }
  return siblings.reverse();
}

export function inclusionProof(
  leafIndex: number,
  treeSize: number,
  source: LeafHashSource,
): Buffer[] {
  const hasher = toSubtreeHasher(source);
  return inclusionProofRanges(leafIndex, treeSize).map((range) => rangeRoot(hasher, range));
}

/**
 * RFC 9162 §2.1.3.2. Any malformed input (an index that is no safe integer, a hash that is not 32
 * bytes) is a failed proof rather than an error, since proofs come from outside.
 */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isCount(leafIndex) || !isCount(treeSize) || leafIndex >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}
