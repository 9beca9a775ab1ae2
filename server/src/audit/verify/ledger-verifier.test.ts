import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootOfLeafHashes } from '../merkle/compact-range.js';
import { hashLeaf } from '../merkle/hash.js';
import { keyIdOf, type TreeHeadSigningKey } from '../tree-head/signing-key.js';
import { signTreeHead, type SignedTreeHead } from '../tree-head/tree-head.js';
import type { LedgerEntry } from './ledger-report.js';
import { LedgerVerifier, verifyLedger } from './ledger-verifier.js';

function newKey(): TreeHeadSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

function entry(sequence: number, action = `read Patient/${sequence % 37}`): LedgerEntry {
  const leaf = Buffer.from(JSON.stringify({ sequence, actor: 'dr-weber', action }));
  return { sequence, leaf, leafHash: hashLeaf(leaf) };
}

const key = newKey();
const HEAD_SIZES = [100, 200, 300, 400, 500, 600, 700, 800, 900];
/** 950 entries: heads every 100 up to 900, the last 50 not yet signed. */
const ledger = Array.from({ length: 950 }, (_, i) => entry(i + 1));
const headAt = (size: number, entries = ledger, by = key) =>
  signTreeHead(
    {
      treeSize: size,
      rootHash: rootOfLeafHashes(entries.slice(0, size).map((e) => e.leafHash)),
      timestamp: Date.UTC(2025, 2, 1) + size * 60_000,
    },
    by,
  );
const heads = HEAD_SIZES.map((size) => headAt(size));

const verify = (entries: LedgerEntry[], withHeads: SignedTreeHead[] = heads, keys = [key]) =>
  verifyLedger(entries, withHeads, keys);
const renumbered = (entries: LedgerEntry[]) => entries.map((e, i) => ({ ...e, sequence: i + 1 }));

describe('ledger verification', () => {
  it('passes a clean ledger, and says which entries no head covers yet', async () => {
    expect(await verify(ledger)).toEqual({
      ok: true,
      entries: 950,
      rootHash: rootOfLeafHashes(ledger.map((e) => e.leafHash)),
      headsVerified: 9,
      signedThrough: 900,
      message:
        '950 entries verified against 9 signed heads; entries 901–950 not yet covered by a signed head',
    });
    expect(await verify([], [], [])).toMatchObject({
      ok: true,
      entries: 0,
      message: '0 entries verified against 0 signed heads',
    });
  });

  it('names an updated entry whose leaf hash was left alone', async () => {
    const tampered = ledger.map((e) =>
      e.sequence === 41 ? { ...e, leaf: entry(41, 'nothing').leaf } : e,
    );
    const report = await verify(tampered);
    expect(report).toMatchObject({
      ok: false,
      entriesRead: 41,
      failure: { check: 'leaf-hash', sequence: 41 },
    });
    expect(report.message).toBe('entry 41: stored content does not match its leaf hash');
  });

  it('finds an entry updated together with its leaf hash between two heads', async () => {
    const tampered = ledger.map((e) => (e.sequence === 341 ? entry(341, 'nothing') : e));
    const report = await verify(tampered);
    expect(report).toMatchObject({
      ok: false,
      failure: { check: 'head-root', treeSize: 400, changedFrom: 301, changedTo: 400 },
    });
    expect(report.message).toBe(
      'signed head at size 400: root differs from the recomputed tree (entries 301–400 changed since it was signed; entries 1–300 match the head at size 300)',
    );
    const early = await verify(ledger.map((e) => (e.sequence === 7 ? entry(7, 'nothing') : e)));
    expect(early.message).toBe(
      'signed head at size 100: root differs from the recomputed tree (entries 1–100 changed since it was signed)',
    );
  });

  it('names a deleted entry, and finds one deleted with the later entries renumbered', async () => {
    const gap = await verify(ledger.filter((e) => e.sequence !== 450));
    expect(gap).toMatchObject({
      ok: false,
      failure: { check: 'sequence-gap', sequence: 450, found: 451 },
    });
    expect(gap.message).toBe('entry 450: sequence gap (expected 450, found 451)');
    const hidden = await verify(renumbered(ledger.filter((e) => e.sequence !== 450)));
    expect(hidden).toMatchObject({
      failure: { check: 'head-root', treeSize: 500, changedFrom: 401 },
    });
  });

  it('names a deleted tail that a head had covered', async () => {
    const report = await verify(ledger.slice(0, 850));
    expect(report).toMatchObject({
      ok: false,
      entriesRead: 850,
      failure: { check: 'head-beyond-ledger', treeSize: 900, ledgerSize: 850 },
    });
    expect(report.message).toBe(
      'signed head at size 900 claims more entries than the ledger holds (850; the tail was deleted)',
    );
    // Entries no head covers yet vouch for nothing: the report says how far the signatures reach.
    expect(await verify(ledger.slice(0, 900))).toMatchObject({ ok: true, signedThrough: 900 });
  });

  it('names an inserted forged entry, renumbered or not', async () => {
    const forged = entry(120, 'export all patients');
    const duplicate = [...ledger.slice(0, 120), forged, ...ledger.slice(120)];
    const report = await verify(duplicate);
    expect(report).toMatchObject({
      failure: { check: 'sequence-order', sequence: 121, found: 120 },
    });
    expect(report.message).toBe('entry 121: sequence out of order (expected 121, found 120)');
    const hidden = await verify(renumbered(duplicate));
    expect(hidden).toMatchObject({
      failure: { check: 'head-root', treeSize: 200, changedFrom: 101 },
    });
  });

  it('finds two swapped entries', async () => {
    const swapped = ledger.map((e) => {
      if (e.sequence === 612) return { ...(ledger[614] as LedgerEntry), sequence: 612 };
      if (e.sequence === 615) return { ...(ledger[611] as LedgerEntry), sequence: 615 };
      return e;
    });
    const report = await verify(swapped);
    expect(report).toMatchObject({
      failure: { check: 'head-root', treeSize: 700, changedFrom: 601, changedTo: 700 },
    });
    const contentOnly = ledger.map((e) => {
      if (e.sequence === 612) return { ...e, leaf: (ledger[614] as LedgerEntry).leaf };
      if (e.sequence === 615) return { ...e, leaf: (ledger[611] as LedgerEntry).leaf };
      return e;
    });
    expect(await verify(contentOnly)).toMatchObject({
      failure: { check: 'leaf-hash', sequence: 612 },
    });
  });

  it('names a forged head: altered, signed by an untrusted key, or claiming a longer ledger', async () => {
    const altered = heads.map((h) =>
      h.treeSize === 800 ? { ...h, timestamp: h.timestamp + 1 } : h,
    );
    const report = await verify(ledger, altered);
    expect(report).toMatchObject({ failure: { check: 'head-signature', treeSize: 800 } });
    expect(report.message).toBe('signed head at size 800: signature invalid');

    const stranger = newKey();
    const untrusted = await verify(ledger, [...heads, headAt(500, ledger, stranger)]);
    expect(untrusted).toMatchObject({
      failure: { check: 'head-key-unknown', treeSize: 500, keyId: stranger.keyId },
    });
    expect(untrusted.message).toBe(
      `signed head at size 500: signed by key ${stranger.keyId}, which is not a trusted key`,
    );

    const future = { ...headAt(900), treeSize: 5000 };
    expect(await verify(ledger, [...heads, future])).toMatchObject({
      failure: { check: 'head-signature', treeSize: 5000 },
    });
  });

  it('names heads that contradict each other', async () => {
    const fork = [...ledger.slice(0, 499), entry(500, 'a different history')];
    const report = await verify(ledger, [...heads, headAt(500, fork)]);
    expect(report).toMatchObject({ failure: { check: 'heads-contradict', treeSize: 500 } });
    expect(report.message).toBe(
      'signed heads at size 500 contradict each other: two different roots were signed for the same size',
    );
  });

  it('accepts heads in any order, from several trusted keys, and duplicates that agree', async () => {
    const next = newKey();
    const rotated = HEAD_SIZES.map((size) =>
      headAt(size, ledger, size > 500 ? next : key),
    ).reverse();
    const report = await verify(ledger, [...rotated, headAt(300)], [key, next]);
    expect(report).toMatchObject({ ok: true, headsVerified: 10, signedThrough: 900 });
  });

  it('reads a stream lazily and stops at the first failure', async () => {
    let pulled = 0;
    async function* cursor() {
      for (const e of ledger) {
        pulled += 1;
        yield e.sequence === 30 ? { ...e, leafHash: hashLeaf(Buffer.from('x')) } : e;
      }
    }
    expect(await verifyLedger(cursor(), heads, [key])).toMatchObject({ failure: { sequence: 30 } });
    expect(pulled).toBe(30);
  });

  it('can be fed entry by entry', () => {
    const verifier = new LedgerVerifier(heads, [key]);
    for (const e of ledger.slice(0, 100)) expect(verifier.add(e)).toBeUndefined();
    expect(verifier.add(entry(102))).toMatchObject({ check: 'sequence-gap', sequence: 101 });
    expect(verifier.add(entry(101))).toMatchObject({ check: 'sequence-gap' });
    expect(verifier.finish()).toMatchObject({ ok: false, entriesRead: 101 });
  });
});
