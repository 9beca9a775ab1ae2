import { CompactRange } from '../merkle/compact-range.js';
import { hashLeaf, sameHash } from '../merkle/hash.js';
import { isCount } from '../merkle/tree-math.js';
import type { TreeHeadVerifyingKey } from '../tree-head/signing-key.js';
import { verifyTreeHead, type SignedTreeHead } from '../tree-head/tree-head.js';
import {
  describeFailure,
  describeSuccess,
  type LedgerEntry,
  type LedgerFailure,
  type LedgerReport,
} from './ledger-report.js';

/**
 * Checks a ledger in one pass over its entries, in order: each entry's number and leaf hash, and
 * each signed head when the recomputed tree reaches its size. Memory is O(log n) plus the heads.
 * Failures are reported in ledger order; the first one ends the check.
 */
export class LedgerVerifier {
  readonly #tree = new CompactRange();
  readonly #keys: ReadonlyMap<string, TreeHeadVerifyingKey>;
  /** Heads grouped by size, smallest first; a malformed size sorts last and fails its signature. */
  readonly #groups: SignedTreeHead[][];
  #nextGroup = 0;
  #entriesRead = 0;
  #headsVerified = 0;
  #signedThrough = 0;
  #failure: LedgerFailure | undefined;

  constructor(heads: readonly SignedTreeHead[], trustedKeys: readonly TreeHeadVerifyingKey[]) {
    this.#keys = new Map(trustedKeys.map((key) => [key.keyId, key]));
    const bySize = new Map<number, SignedTreeHead[]>();
    for (const head of heads) {
      const size = isCount(head.treeSize) ? head.treeSize : Number.POSITIVE_INFINITY;
      const group = bySize.get(size);
      if (group) group.push(head);
      else bySize.set(size, [head]);
    }
    this.#groups = [...bySize.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
    this.#failure = this.#checkHeadsAtTreeSize();
  }

  /** Checks the next entry; returns the failure, once there is one, and ignores later entries. */
  add(entry: LedgerEntry): LedgerFailure | undefined {
    if (this.#failure) return this.#failure;
    this.#entriesRead += 1;
    this.#failure = this.#checkEntry(entry) ?? this.#checkHeadsAtTreeSize();
    return this.#failure;
  }

  /** Call after the last entry: heads the ledger never reached claim entries it no longer has. */
  finish(): LedgerReport {
    while (!this.#failure && this.#nextGroup < this.#groups.length) {
      const group = this.#groups[this.#nextGroup] as SignedTreeHead[];
      this.#nextGroup += 1;
      this.#failure = this.#checkGroup(group) ?? {
        check: 'head-beyond-ledger',
        treeSize: (group[0] as SignedTreeHead).treeSize,
        ledgerSize: this.#tree.size,
      };
    }
    if (this.#failure) {
      const failure = this.#failure;
      return {
        ok: false,
        entriesRead: this.#entriesRead,
        failure,
        message: describeFailure(failure),
      };
    }
    const entries = this.#tree.size;
    const headsVerified = this.#headsVerified;
    const signedThrough = this.#signedThrough;
    const message = describeSuccess(entries, headsVerified, signedThrough);
    return {
      ok: true,
      entries,
      rootHash: this.#tree.root(),
      headsVerified,
      signedThrough,
      message,
    };
  }

  #checkEntry(entry: LedgerEntry): LedgerFailure | undefined {
    const sequence = this.#tree.size + 1;
    if (entry.sequence !== sequence) {
      const check = entry.sequence > sequence ? 'sequence-gap' : 'sequence-order';
      return { check, sequence, found: entry.sequence };
    }
    const leafHash = hashLeaf(entry.leaf);
    if (!sameHash(leafHash, entry.leafHash)) return { check: 'leaf-hash', sequence };
    this.#tree.append(leafHash);
    return undefined;
  }

  #checkHeadsAtTreeSize(): LedgerFailure | undefined {
    const group = this.#groups[this.#nextGroup];
    const treeSize = this.#tree.size;
    if (group?.[0]?.treeSize !== treeSize) return undefined;
    this.#nextGroup += 1;
    const failure = this.#checkGroup(group);
    if (failure) return failure;
    if (!sameHash(group[0].rootHash, this.#tree.root())) {
      return {
        check: 'head-root',
        treeSize,
        changedFrom: this.#signedThrough + 1,
        changedTo: treeSize,
      };
    }
    this.#headsVerified += group.length;
    this.#signedThrough = treeSize;
    return undefined;
  }

  /** Every head of one size: a trusted key, a valid signature, and one root among them. */
  #checkGroup(group: readonly SignedTreeHead[]): LedgerFailure | undefined {
    for (const head of group) {
      const { treeSize, keyId } = head;
      const key = this.#keys.get(keyId);
      if (!key) return { check: 'head-key-unknown', treeSize, keyId };
      if (!verifyTreeHead(head, key)) return { check: 'head-signature', treeSize };
    }
    const [first, ...others] = group as [SignedTreeHead, ...SignedTreeHead[]];
    if (others.some((head) => !sameHash(head.rootHash, first.rootHash))) {
      return { check: 'heads-contradict', treeSize: first.treeSize };
    }
    return undefined;
  }
}

/** Verifies a ledger read as a stream (a database cursor, a file); stops at the first failure. */
export async function verifyLedger(
  entries: Iterable<LedgerEntry> | AsyncIterable<LedgerEntry>,
  heads: readonly SignedTreeHead[],
  trustedKeys: readonly TreeHeadVerifyingKey[],
): Promise<LedgerReport> {
  const verifier = new LedgerVerifier(heads, trustedKeys);
  for await (const entry of entries) {
    if (verifier.add(entry)) break;
  }
  return verifier.finish();
}
