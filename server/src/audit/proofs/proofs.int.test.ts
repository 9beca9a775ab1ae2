import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditConsistencyProof,
  AuditInclusionProof,
  AuditTrailEntry,
  AuditTreeHead,
  SignedTreeHeadJson,
} from '@safeconsult/protocol';
import { seedDemoClinic } from '../../demo/index.js';
import { queryRows } from '../../platform/db/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { demoStaff, signInDemo } from '../../test-support/demo-sessions.js';
import { asSession, type HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { appendAuditEntries } from '../ledger/append.js';
import { canonicalLeaf, type AuditEntryInput } from '../ledger/entry.js';
import { integrateStep } from '../ledger/integrate.js';
import { storedLedgerEntries } from '../ledger/read.js';
import { consistencyProof, verifyConsistency } from '../merkle/consistency.js';
import { hashLeaf } from '../merkle/hash.js';
import { inclusionProof, verifyInclusion } from '../merkle/inclusion.js';
import { auditEntry } from '../schema.js';
import { verifyingKeyFromPem, type TreeHeadVerifyingKey } from '../tree-head/signing-key.js';
import { verifyTreeHead } from '../tree-head/tree-head.js';
import { consistencyProofFromStore, inclusionProofFromStore } from './store-proofs.js';

const entry = (n: number): AuditEntryInput => ({
  at: new Date(Date.UTC(2026, 10, 25, 9, 0, 0, n)),
  category: 'security',
  action: 'signed_in',
  outcome: 'succeeded',
  actor: { type: 'staff', id: `user-${n % 7}`, role: 'clinician' },
  detail: { n },
});

const fromHex = (hashes: readonly string[]) => hashes.map((h) => Buffer.from(h, 'hex'));

describe.each(storeTargets())('audit proofs over the API on %s', (target) => {
  let t: TestApp;
  let officer: HeldSession;
  let beforeAnyHead: LightMyRequestResponse;
  let key: TreeHeadVerifyingKey;
  /** The sizes of the signed heads, smallest first. */
  const heads: number[] = [];

  const get = (url: string) => asSession(t.app, officer, 'GET', url);
  const ok = async <T>(url: string) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };
  /** The head's root, once its signature checks out with the published key. */
  const signedRoot = (head: SignedTreeHeadJson) => {
    const rootHash = Buffer.from(head.rootHash, 'hex');
    const signature = Buffer.from(head.signature, 'base64');
    expect(verifyTreeHead({ ...head, rootHash, signature }, key)).toBe(true);
    return rootHash;
  };
  const storedEntry = async (sequence: number) => {
    const [row] = await t.ctx.store.db
      .select()
      .from(auditEntry)
      .where(eq(auditEntry.sequence, sequence));
    if (!row) throw new Error(`no entry ${sequence}`);
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    officer = await signInDemo(t.app, 'priya.');
    beforeAnyHead = await get('/api/audit/tree-head');
    // Three heads, the last past 2 × 2^8 entries: proofs mix kept subtrees with rehashed leaves.
    let n = 0;
    for (const count of [300, 350, 57]) {
      await appendAuditEntries(
        t.ctx.store.db,
        Array.from({ length: count }, () => entry((n += 1))),
      );
      const schedule = { everyEntries: 10_000, everyMs: 3_600_000 };
      const step = await integrateStep(t.ctx.store.db, t.ctx.auditKey, schedule, new Date(), true);
      heads.push(step.treeSize);
    }
    const published = await ok<AuditTreeHead>('/api/audit/tree-head');
    key = verifyingKeyFromPem(published.publicKey.pem);
  });
  afterAll(() => t.close());

  it('has no tree head to show before the first is signed', () => {
    expect(beforeAnyHead.statusCode).toBe(404);
    expect(beforeAnyHead.json()).toMatchObject({ code: 'tree_head_unknown' });
  });

  it('shows the latest signed head with the key that verifies it', async () => {
    const { treeHead, publicKey } = await ok<AuditTreeHead>('/api/audit/tree-head');
    expect(treeHead.treeSize).toBe(heads.at(-1));
    expect(publicKey.keyId).toBe(key.keyId);
    expect(treeHead.keyId).toBe(t.ctx.auditKey.keyId);
    signedRoot(treeHead);
  });

  it('proves entries in signed trees, and a changed leaf fails the proof', async () => {
    const latest = heads.at(-1) as number;
    for (const size of heads) {
      for (const sequence of [1, 2, 256, 257, 300, 512, 513, size - 1, size]) {
        if (sequence > size) continue;
        const asked = size === latest ? '' : `?treeSize=${size}`;
        const proof = await ok<AuditInclusionProof>(`/api/audit/entries/${sequence}/proof${asked}`);
        expect(proof).toMatchObject({ sequence, leafIndex: sequence - 1 });
        expect(proof.treeHead.treeSize).toBe(size);
        const root = signedRoot(proof.treeHead);
        const leafHash = Buffer.from(proof.leafHash, 'hex');
        const path = fromHex(proof.inclusionPath);
        expect(verifyInclusion(sequence - 1, size, leafHash, path, root), `${sequence}`).toBe(true);

        const row = await storedEntry(sequence);
        expect(leafHash).toEqual(row.leafHash);
        const forged = hashLeaf(canonicalLeaf({ ...row, action: 'forged' }, sequence));
        expect(verifyInclusion(sequence - 1, size, forged, path, root)).toBe(false);
      }
    }
  });

  it('proves each signed tree a prefix of every later one', async () => {
    for (const [i, from] of heads.entries()) {
      for (const to of heads.slice(i)) {
        const proof = await ok<AuditConsistencyProof>(
          `/api/audit/consistency?from=${from}&to=${to}`,
        );
        expect([proof.from.treeSize, proof.to.treeSize]).toEqual([from, to]);
        const [root1, root2] = [signedRoot(proof.from), signedRoot(proof.to)];
        const path = fromHex(proof.consistencyPath);
        expect(verifyConsistency(from, to, root1, root2, path), `${from}→${to}`).toBe(true);
        const other = Buffer.from(root1);
        other[0] = (other[0] as number) ^ 1;
        expect(verifyConsistency(from, to, other, root2, path)).toBe(false);
      }
    }
  });

  it('makes the same proofs from the store as from all the leaves in memory', async () => {
    const db = t.ctx.store.db;
    const leaves: Uint8Array[] = [];
    for await (const { leafHash } of storedLedgerEntries(db)) leaves.push(leafHash);
    for (let size = 1; size <= leaves.length; size += 29) {
      for (const sequence of new Set([1, size, (7919 % size) + 1, (104_729 % size) + 1])) {
        const stored = await inclusionProofFromStore(db, sequence, size);
        expect(stored.inclusionPath, `${sequence} in ${size}`).toEqual(
          inclusionProof(sequence - 1, size, leaves),
        );
      }
      const from = (7919 % size) + 1;
      expect(await consistencyProofFromStore(db, from, size), `${from}→${size}`).toEqual(
        consistencyProof(from, size, leaves),
      );
    }
  });

  it('answers bad input with its code and changes nothing', async () => {
    const [first, second, last] = heads as [number, number, number];
    const entries = async () =>
      (
        await queryRows<{ n: number }>(
          t.ctx.store.db,
          sql`select count(*)::int as n from audit_entry`,
        )
      )[0]?.n;
    const before = await entries();
    for (const [url, status, code] of [
      ['/api/audit/entries/first/proof', 400, 'validation_failed'],
      ['/api/audit/entries/0/proof', 400, 'validation_failed'],
      ['/api/audit/entries/5/proof?treeSize=2.5', 400, 'validation_failed'],
      ['/api/audit/entries/5/proof?treeSize=7', 404, 'tree_head_unknown'],
      [`/api/audit/entries/${last + 1}/proof`, 422, 'entry_not_in_tree'],
      [`/api/audit/entries/${second}/proof?treeSize=${first}`, 422, 'entry_not_in_tree'],
      [`/api/audit/consistency?from=${second}&to=${first}`, 400, 'consistency_range_invalid'],
      [`/api/audit/consistency?from=${first}`, 400, 'validation_failed'],
      [`/api/audit/consistency?from=0&to=${first}`, 400, 'validation_failed'],
      [`/api/audit/consistency?from=${first}&to=${last + 1}`, 404, 'tree_head_unknown'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json<{ code: string }>().code, url).toBe(code);
    }
    expect(await entries()).toBe(before);
  });

  it('refuses a clinician, and records each refusal', async () => {
    const clinician = await signInDemo(t.app, 'jonas.');
    const urls = [
      '/api/audit/tree-head',
      '/api/audit/entries/1/proof',
      `/api/audit/consistency?from=${heads[0]}&to=${heads[1]}`,
    ];
    for (const url of urls) {
      const res = await asSession(t.app, clinician, 'GET', url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('forbidden');
    }
    const query = new URLSearchParams({
      user: demoStaff('jonas.').id,
      action: 'readAudit',
      outcome: 'refused',
    });
    const { entries } = await ok<{ entries: AuditTrailEntry[] }>(
      `/api/audit/entries?${query.toString()}`,
    );
    expect(entries).toHaveLength(urls.length);
    for (const e of entries) expect(e.resource).toEqual({ type: 'AuditLog', id: 'audit-trail' });
  });

  it('serves the leaf hash of the entry as stored now, so a changed entry fails its proof', async () => {
    const sequence = 42;
    const { db } = t.ctx.store;
    // Only someone who switches the append-only trigger off can change an entry.
    await db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
    await db.execute(sql`update audit_entry set action = 'forged' where sequence = ${sequence}`);
    await db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
    const proof = await ok<AuditInclusionProof>(`/api/audit/entries/${sequence}/proof`);
    const leafHash = Buffer.from(proof.leafHash, 'hex');
    expect(leafHash).not.toEqual((await storedEntry(sequence)).leafHash);
    const size = proof.treeHead.treeSize;
    const path = fromHex(proof.inclusionPath);
    expect(verifyInclusion(sequence - 1, size, leafHash, path, signedRoot(proof.treeHead))).toBe(
      false,
    );
  });
});
