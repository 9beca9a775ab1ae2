import { rootOfLeafHashes } from './compact-range.js';
import { EMPTY_ROOT, hashChildren, isHash } from './hash.js';
import { isCount, type LeafRange } from './tree-math.js';

/**
 * The hash of the complete subtree of 2^level leaves that starts at leaf index × 2^level. A large
 * store answers from subtree hashes it keeps; anything else can be given its leaf hashes.
 */
export type SubtreeHasher = (level: number, index: number) => Uint8Array;

/** Where proofs and roots take their hashes from: a subtree hasher, or the leaf hashes in order. */
export type LeafHashSource = SubtreeHasher | readonly Uint8Array[];

export function toSubtreeHasher(source: LeafHashSource): SubtreeHasher {
  if (typeof source === 'function') return source;
  return (level, index) => {
    const width = 2 ** level;
    const start = index * width;
    if (start + width > source.length) {
      throw new RangeError(
        `Leaves ${start}–${start + width - 1} are beyond the ${source.length} given.`,
      );
    }
    return rootOfLeafHashes(leavesOf(source, start, start + width));
  };
}

/** The complete subtree of 2^level leaves that starts at leaf index × 2^level. */
export interface Subtree {
  level: number;
  index: number;
}

/**
 * The complete subtrees that make up leaves [start, end) taken as a tree of their own: the binary
 * decomposition of its width, largest first. Every range in a root or a proof starts at a multiple
 * of its largest part, so each part is a complete subtree of the whole tree. A store that fetches
 * asynchronously collects these for a proof's ranges, fetches them at once, then hashes.
 */
export function subtreesOf({ start, end }: LeafRange): Subtree[] {
  let level = 0;
  while (2 ** (level + 1) <= end - start) level += 1;
  const parts: Subtree[] = [];
  for (let at = start; at < end; level -= 1) {
    const width = 2 ** level;
    if (end - at < width) continue;
    if (at % width !== 0) {
      throw new RangeError(`Leaves ${start}–${end - 1} do not start a subtree.`);
    }
    parts.push({ level, index: at / width });
    at += width;
  }
  return parts;
}

/** MTH of leaves [start, end) as a tree of their own: its subtrees folded right to left (§2.1.1). */
export function rangeRoot(hasher: SubtreeHasher, range: LeafRange): Buffer {
  const parts = subtreesOf(range).map(({ level, index }) =>
    checked(hasher(level, index), level, index),
  );
  let root = parts.pop();
  if (!root) return Buffer.from(EMPTY_ROOT);
  while (parts.length > 0) root = hashChildren(parts.pop() as Uint8Array, root);
  return Buffer.from(root);
}

/** MTH of the first treeSize leaves of the source. */
export function treeRoot(source: LeafHashSource, treeSize: number): Buffer {
  if (!isCount(treeSize)) throw new RangeError(`${String(treeSize)} is not a tree size.`);
  return rangeRoot(toSubtreeHasher(source), { start: 0, end: treeSize });
}

function* leavesOf(leafHashes: readonly Uint8Array[], start: number, end: number) {
  for (let i = start; i < end; i += 1) yield leafHashes[i] as Uint8Array;
}

function checked(hash: Uint8Array, level: number, index: number): Uint8Array {
  if (!isHash(hash)) {
    throw new RangeError(`The subtree hash at level ${level}, index ${index} is not 32 bytes.`);
  }
  return hash;
}
