import type { Queryable } from '../../platform/db/index.js';
import { storedLedgerEntries, storedTreeHeads, storedTreeState } from '../ledger/read.js';
import { EMPTY_ROOT, sameHash } from '../merkle/hash.js';
import type { TreeHeadVerifyingKey } from '../tree-head/signing-key.js';
import type { SignedTreeHead } from '../tree-head/tree-head.js';
import {
  describeFailure,
  entryRange,
  type LedgerFailure,
  type LedgerReport,
} from './ledger-report.js';
import { verifyLedger } from './ledger-verifier.js';

/** The heads read from one heads file (`AUDIT_HEADS_FILE`, or an auditor's copy of one). */
export interface FiledHeads {
  file: string;
  heads: readonly SignedTreeHead[];
}

/** What a check of the stored ledger finds beyond the verifier's checks of entries and heads. */
type StoreFailure =
  /** A heads file keeps a head the store no longer has: heads were deleted from the store. */
  | { check: 'head-missing-from-store'; treeSize: number; file: string }
  /** A line of a heads file is not a signed tree head. */
  | { check: 'heads-file'; file: string; line: number }
  /** The tree state the integrator stored counts other entries than the ledger holds. */
  | { check: 'tree-state-size'; storedSize: number; ledgerSize: number }
  /** The tree state has the ledger's size and another root. */
  | { check: 'tree-state-root'; treeSize: number; signedThrough: number };

export type StoredLedgerFailure = LedgerFailure | StoreFailure;

/** Every check of the store's own, by name: a new kind of store failure must be added here too. */
const STORE_CHECKS: Readonly<Record<StoreFailure['check'], true>> = {
  'head-missing-from-store': true,
  'heads-file': true,
  'tree-state-size': true,
  'tree-state-root': true,
};

export type StoredLedgerReport =
  | (Extract<LedgerReport, { ok: true }> & {
      headsInStore: number;
      headsInFiles: { file: string; heads: number }[];
    })
  | { ok: false; entriesRead: number; failure: StoredLedgerFailure; message: string };

/**
 * Verifies the stored ledger: recomputes the tree from the entries and checks it against every
 * signed head, those in the store and those the heads files kept (so heads deleted from the store
 * still count, and a head contradicting another is found); then checks that no filed head is
 * missing from the store and that the integrator's stored tree state matches the recomputed tree,
 * which catches what no head covers yet: a tail deleted or appended to, or changed with its leaf
 * hashes. Pass a repeatable-read transaction as `db`: one snapshot, which a running integrator
 * cannot change halfway.
 */
export async function verifyStoredLedger(
  db: Queryable,
  filed: readonly FiledHeads[],
  trustedKeys: readonly TreeHeadVerifyingKey[],
): Promise<StoredLedgerReport> {
  const stored = await storedTreeHeads(db);
  const storedIds = new Set(stored.map(headId));
  // A head in the store and in a file is one head: counted once, checked once.
  const heads = new Map<string, SignedTreeHead>();
  for (const head of [...stored, ...filed.flatMap((f) => f.heads)]) {
    if (!heads.has(headId(head))) heads.set(headId(head), head);
  }
  const report = await verifyLedger(storedLedgerEntries(db), [...heads.values()], trustedKeys);
  if (!report.ok) return report;

  const fail = (failure: StoredLedgerFailure): StoredLedgerReport => ({
    ok: false,
    entriesRead: report.entries,
    failure,
    message: describeStoredFailure(failure),
  });
  for (const { file, heads: fileHeads } of filed) {
    const missing = fileHeads.find((head) => !storedIds.has(headId(head)));
    if (missing) {
      return fail({ check: 'head-missing-from-store', treeSize: missing.treeSize, file });
    }
  }
  const state = (await storedTreeState(db)) ?? { treeSize: 0, rootHash: EMPTY_ROOT };
  if (state.treeSize !== report.entries) {
    return fail({
      check: 'tree-state-size',
      storedSize: state.treeSize,
      ledgerSize: report.entries,
    });
  }
  if (!sameHash(state.rootHash, report.rootHash)) {
    const { signedThrough } = report;
    return fail({ check: 'tree-state-root', treeSize: state.treeSize, signedThrough });
  }
  return {
    ...report,
    headsInStore: stored.length,
    headsInFiles: filed.map(({ file, heads: fileHeads }) => ({ file, heads: fileHeads.length })),
  };
}

export function describeStoredFailure(failure: StoredLedgerFailure): string {
  return isStoreFailure(failure) ? describeStoreFailure(failure) : describeFailure(failure);
}

function isStoreFailure(failure: StoredLedgerFailure): failure is StoreFailure {
  return Object.hasOwn(STORE_CHECKS, failure.check);
}

function describeStoreFailure(failure: StoreFailure): string {
  switch (failure.check) {
    case 'head-missing-from-store':
      return (
        `signed head at size ${failure.treeSize} in ${failure.file} is missing from the store ` +
        '(heads were deleted there)'
      );
    case 'heads-file':
      return `${failure.file}, line ${failure.line}: not a signed tree head`;
    case 'tree-state-size': {
      const { storedSize, ledgerSize } = failure;
      const what =
        storedSize > ledgerSize
          ? `${entryRange(ledgerSize + 1, storedSize)} deleted`
          : `${entryRange(storedSize + 1, ledgerSize)} added outside the integrator`;
      return (
        `the store's tree state counts ${storedSize} entries, ` +
        `the ledger holds ${ledgerSize} (${what})`
      );
    }
    case 'tree-state-root': {
      const { treeSize, signedThrough } = failure;
      const what =
        signedThrough < treeSize
          ? `${entryRange(signedThrough + 1, treeSize)}, which no signed head covers yet, changed`
          : `the signed head at size ${treeSize} vouches for the entries: the tree state was changed`;
      return `the store's tree state has another root than the recomputed tree (${what})`;
    }
  }
}

/** A head's identity: its signature, which covers everything else in it. */
function headId(head: SignedTreeHead): string {
  return `${head.treeSize}:${Buffer.from(head.signature).toString('hex')}`;
}
