/**
 * One stored ledger entry. Sequence numbers start at 1 and have no gaps, so entry s is leaf s − 1
 * and a head at size n covers entries 1 to n.
 */
export interface LedgerEntry {
  sequence: number;
  /** The canonical bytes the leaf hash covers. */
  leaf: Uint8Array;
  /** The leaf hash stored with the entry. */
  leafHash: Uint8Array;
}

/** The first check that failed, with the entry or head it concerns. */
export type LedgerFailure =
  /** An entry is missing: the next one found has a later number. */
  | { check: 'sequence-gap'; sequence: number; found: number }
  /** An entry repeats or goes back: the next one found has an earlier number. */
  | { check: 'sequence-order'; sequence: number; found: number }
  | { check: 'leaf-hash'; sequence: number }
  | { check: 'head-key-unknown'; treeSize: number; keyId: string }
  | { check: 'head-signature'; treeSize: number }
  /** Two validly signed heads give different roots for one size: the ledger was forked. */
  | { check: 'heads-contradict'; treeSize: number }
  /**
   * The recomputed root differs; the change lies in entries changedFrom–changedTo, because the
   * entries before changedFrom match the previous head (a root reveals no more than that).
   */
  | { check: 'head-root'; treeSize: number; changedFrom: number; changedTo: number }
  | { check: 'head-beyond-ledger'; treeSize: number; ledgerSize: number };

export type LedgerReport =
  | {
      ok: true;
      entries: number;
      /** The root of the tree recomputed from the entries. */
      rootHash: Uint8Array;
      headsVerified: number;
      /** Entries after this one are covered by no signed head yet, so nothing vouches for them. */
      signedThrough: number;
      message: string;
    }
  | { ok: false; entriesRead: number; failure: LedgerFailure; message: string };

export function describeFailure(failure: LedgerFailure): string {
  switch (failure.check) {
    case 'sequence-gap':
    case 'sequence-order': {
      const { sequence, found } = failure;
      const what = failure.check === 'sequence-gap' ? 'sequence gap' : 'sequence out of order';
      return `entry ${sequence}: ${what} (expected ${sequence}, found ${found})`;
    }
    case 'leaf-hash':
      return `entry ${failure.sequence}: stored content does not match its leaf hash`;
    case 'head-key-unknown':
      return `${head(failure)}: signed by key ${failure.keyId}, which is not a trusted key`;
    case 'head-signature':
      return `${head(failure)}: signature invalid`;
    case 'heads-contradict':
      return (
        `signed heads at size ${failure.treeSize} contradict each other: ` +
        'two different roots were signed for the same size'
      );
    case 'head-root': {
      const { changedFrom, changedTo } = failure;
      const before = changedFrom - 1;
      const verb = before === 1 ? 'matches' : 'match';
      const intact =
        before > 0 ? `; ${entryRange(1, before)} ${verb} the head at size ${before}` : '';
      return (
        `${head(failure)}: root differs from the recomputed tree ` +
        `(${entryRange(changedFrom, changedTo)} changed since it was signed${intact})`
      );
    }
    case 'head-beyond-ledger':
      return (
        `${head(failure)} claims more entries than the ledger holds ` +
        `(${failure.ledgerSize}; the tail was deleted)`
      );
  }
}

export function describeSuccess(
  entries: number,
  headsVerified: number,
  signedThrough: number,
): string {
  const heads = count(headsVerified, 'signed head', 'signed heads');
  const verified = `${count(entries, 'entry', 'entries')} verified against ${heads}`;
  if (signedThrough === entries) return verified;
  return `${verified}; ${entryRange(signedThrough + 1, entries)} not yet covered by a signed head`;
}

function head({ treeSize }: { treeSize: number }): string {
  return `signed head at size ${treeSize}`;
}

export function entryRange(from: number, to: number): string {
  return from === to ? `entry ${from}` : `entries ${from}–${to}`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
