import { EMPTY_ROOT, hashChildren, isHash } from './hash.js';
import type { Subtree } from './subtree-source.js';
import { half, isCount, isOdd } from './tree-math.js';

/**
 * The right edge ("frontier") of a growing tree: the roots of its complete subtrees, one for each
 * bit set in its size, largest first. Appending a leaf merges equal-sized subtrees as a binary
 * counter carries, so building a tree of n leaves costs n − 1 node hashes and O(log n) memory, and
 * the root at the current size is a right-to-left fold of the frontier.
 */
export class CompactRange {
  #size = 0;
  readonly #frontier: Buffer[] = [];

  /** Resumes from a stored frontier, so an appender need not read the ledger again. */
  static fromFrontier(size: number, frontier: readonly Uint8Array[]): CompactRange {
    if (!isCount(size) || frontier.length !== bitCount(size) || !frontier.every(isHash)) {
      throw new RangeError(
        `A frontier of a tree of ${size} leaves is one hash per bit of ${size}.`,
      );
    }
    const range = new CompactRange();
    range.#size = size;
    range.#frontier.push(...frontier.map((node) => Buffer.from(node)));
    return range;
  }

  get size(): number {
    return this.#size;
  }

  get frontier(): readonly Buffer[] {
    return this.#frontier.map((node) => Buffer.from(node));
  }

  /**
   * Adds a leaf. `onSubtree` sees each complete subtree the leaf completes, from the leaf itself
   * (level 0) up, so a store can keep the hashes that proofs over a large tree need.
   */
  append(leafHash: Uint8Array, onSubtree?: (subtree: Subtree, hash: Buffer) => void): void {
    if (!isHash(leafHash)) throw new RangeError('A leaf hash is 32 bytes.');
    let node: Buffer = Buffer.from(leafHash);
    let level = 0;
    onSubtree?.({ level, index: this.#size }, node);
    for (let carried = this.#size; isOdd(carried); carried = half(carried)) {
      node = hashChildren(this.#frontier.pop() as Buffer, node);
      level += 1;
      onSubtree?.({ level, index: half(carried) }, node);
    }
    this.#frontier.push(node);
    this.#size += 1;
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    const last = this.#frontier.length - 1;
    if (last < 0) return Buffer.from(EMPTY_ROOT);
    let root = this.#frontier[last] as Buffer;
    for (let i = last - 1; i >= 0; i -= 1) root = hashChildren(this.#frontier[i] as Buffer, root);
    return last === 0 ? Buffer.from(root) : root;
  }
}

/** MTH of a list of leaf hashes, streamed: the list may be a generator over a large store. */
export function rootOfLeafHashes(leafHashes: Iterable<Uint8Array>): Buffer {
  const range = new CompactRange();
  for (const leafHash of leafHashes) range.append(leafHash);
  return range.root();
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = half(rest)) bits += rest % 2;
  return bits;
}
