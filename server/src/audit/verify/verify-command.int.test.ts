import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, gt, gte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/index.js';
import { sampleAuditEntry } from '../../test-support/audit-entries.js';
import { createTestContext, type TestContext } from '../../test-support/context.js';
import { runCommandProcess } from '../../test-support/server-process.js';
import { createTestStore, storeTargets, type TestStoreEnv } from '../../test-support/stores.js';
import { appendAuditEntries } from '../ledger/append.js';
import { canonicalLeaf, type AuditEntryRow } from '../ledger/entry.js';
import { readHeadFile } from '../ledger/head-file.js';
import { LedgerIntegrator } from '../ledger/integrator.js';
import { pendingEntryCount, storedLedgerEntries } from '../ledger/read.js';
import { rootOfLeafHashes } from '../merkle/compact-range.js';
import { hashLeaf } from '../merkle/hash.js';
import { auditEntry, auditTreeHead, auditTreeState } from '../schema.js';
import { keyIdOf, publicKeyPem } from '../tree-head/signing-key.js';
import { signTreeHead } from '../tree-head/tree-head.js';
import { verifyStoredLedger, type FiledHeads, type StoredLedgerReport } from './stored-ledger.js';
import { runAuditCommand } from './verify-command.js';

/** Thrown to roll a tampering transaction back once the ledger was checked inside it. */
class Rollback extends Error {}

/**
 * Acts as an attacker with access to the database: the append-only triggers are turned off for
 * the change (as the tables' owner may) and on again, all inside `tx`.
 */
async function asAttacker(tx: Queryable, change: () => Promise<unknown>): Promise<void> {
  const tables = [sql`audit_entry`, sql`audit_tree_head`];
  for (const table of tables) await tx.execute(sql`alter table ${table} disable trigger user`);
  await change();
  for (const table of tables) await tx.execute(sql`alter table ${table} enable trigger user`);
}

async function entryAt(tx: Queryable, sequence: number): Promise<AuditEntryRow> {
  const [row] = await tx.select().from(auditEntry).where(eq(auditEntry.sequence, sequence));
  if (!row) throw new Error(`no entry ${sequence}`);
  return row;
}

/** Changes an entry and gives it the leaf hash of its new content, as a careful attacker would. */
async function rewrite(tx: Queryable, sequence: number, change: Partial<AuditEntryRow>) {
  const leafHash = hashLeaf(
    canonicalLeaf({ ...(await entryAt(tx, sequence)), ...change }, sequence),
  );
  await tx
    .update(auditEntry)
    .set({ ...change, leafHash })
    .where(eq(auditEntry.sequence, sequence));
}

/** Inserts an entry at `sequence` with the content of entry `from`, changed, and a fitting hash. */
async function forge(
  tx: Queryable,
  sequence: number,
  from: number,
  change: Partial<AuditEntryRow>,
) {
  const { id: _id, ...columns } = { ...(await entryAt(tx, from)), ...change };
  const leafHash = hashLeaf(canonicalLeaf({ id: 0, ...columns }, sequence));
  await tx.insert(auditEntry).values({ ...columns, sequence, leafHash });
}

const OTHER_PATIENT = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

describe.each(storeTargets())('safeconsult audit verify on %s', (target) => {
  const masterKey = randomBytes(32).toString('base64');
  let store: TestStoreEnv;
  let t: TestContext | undefined;
  let headsFile: string;
  let filed: FiledHeads[];
  /** Entries the store's set-up wrote before ours; the ledger's positions are counted after them. */
  let before: number;
  // Heads are signed every 100 entries: at H1, H2 and H3; the last 50 entries are not yet signed.
  let H1: number, H2: number, H3: number, N: number;

  const open = () => createTestContext(target, { MASTER_KEY: masterKey }, store);
  const db = () => {
    if (!t) throw new Error('the store is closed');
    return t.ctx.store.db;
  };

  beforeAll(async () => {
    store = await createTestStore(target);
    t = await open();
    headsFile = t.ctx.config.audit.headsFile;
    before = await pendingEntryCount(db());
    const integrator = new LedgerIntegrator({
      db: db(),
      key: t.ctx.auditKey,
      schedule: { everyEntries: 100, everyMs: 3_600_000 },
      headsFile,
      log: t.ctx.log,
      now: () => new Date(),
    });
    let n = 0;
    for (const batch of [100, 100, 100, 50]) {
      await appendAuditEntries(
        db(),
        Array.from({ length: batch }, () => sampleAuditEntry((n += 1))),
      );
      await integrator.catchUp();
    }
    [H1, H2, H3, N] = [before + 100, before + 200, before + 300, before + 350];
    filed = [{ file: headsFile, heads: await readHeadFile(headsFile) }];
  });
  afterAll(async () => {
    await t?.close();
    await store.cleanup();
  });

  /** Tampers with the ledger, checks it (with the heads file, or the heads given), rolls back. */
  async function verifyTampered(
    change: (tx: Queryable) => Promise<unknown>,
    withFiled = filed,
  ): Promise<StoredLedgerReport> {
    let report: StoredLedgerReport | undefined;
    await db()
      .transaction(async (tx) => {
        await asAttacker(tx, () => change(tx));
        report = await verifyStoredLedger(tx, withFiled, [t!.ctx.auditKey]);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    if (!report) throw new Error('no report');
    return report;
  }
  const nothing = async () => undefined;

  it('verifies the clean ledger against the heads in the store and in the heads file', async () => {
    expect(filed[0]?.heads.map((h) => h.treeSize)).toEqual([H1, H2, H3]);
    expect(await verifyTampered(nothing)).toMatchObject({
      ok: true,
      entries: N,
      headsVerified: 3,
      signedThrough: H3,
      headsInStore: 3,
      headsInFiles: [{ file: headsFile, heads: 3 }],
      message: `${N} entries verified against 3 signed heads; entries ${H3 + 1}–${N} not yet covered by a signed head`,
    });
  });

  it('names an entry whose action or patient was changed', async () => {
    const s = before + 150;
    const action = await verifyTampered((tx) =>
      tx.update(auditEntry).set({ action: 'readNothing' }).where(eq(auditEntry.sequence, s)),
    );
    expect(action).toMatchObject({
      ok: false,
      failure: { check: 'leaf-hash', sequence: s },
      message: `entry ${s}: stored content does not match its leaf hash`,
    });
    const patient = await verifyTampered((tx) =>
      tx
        .update(auditEntry)
        .set({ patientId: OTHER_PATIENT })
        .where(eq(auditEntry.sequence, H3 + 7)),
    );
    expect(patient).toMatchObject({ failure: { check: 'leaf-hash', sequence: H3 + 7 } });
  });

  it('finds a changed entry whose leaf hash was recomputed, by the head that covers it', async () => {
    const report = await verifyTampered((tx) =>
      rewrite(tx, before + 150, { action: 'readNothing' }),
    );
    expect(report).toMatchObject({
      failure: { check: 'head-root', treeSize: H2, changedFrom: H1 + 1, changedTo: H2 },
    });
    // No head covers the last entries yet: the tree state the integrator stored does.
    const unsigned = await verifyTampered((tx) => rewrite(tx, N - 1, { action: 'readNothing' }));
    expect(unsigned).toMatchObject({
      failure: { check: 'tree-state-root', treeSize: N, signedThrough: H3 },
      message: `the store's tree state has another root than the recomputed tree (entries ${H3 + 1}–${N}, which no signed head covers yet, changed)`,
    });
  });

  it('names the first entry missing when one in the middle is deleted', async () => {
    const s = before + 222;
    const report = await verifyTampered((tx) =>
      tx.delete(auditEntry).where(eq(auditEntry.sequence, s)),
    );
    expect(report).toMatchObject({
      failure: { check: 'sequence-gap', sequence: s, found: s + 1 },
      message: `entry ${s}: sequence gap (expected ${s}, found ${s + 1})`,
    });
  });

  it('finds a deleted tail through the heads file, even with the store made consistent', async () => {
    const deleteTail = async (tx: Queryable) => {
      await tx.delete(auditEntry).where(gt(auditEntry.sequence, H2));
      await tx.delete(auditTreeHead).where(gt(auditTreeHead.treeSize, H2));
      const [head] = await tx
        .select({ rootHash: auditTreeHead.rootHash })
        .from(auditTreeHead)
        .where(eq(auditTreeHead.treeSize, H2));
      await tx.update(auditTreeState).set({ treeSize: H2, rootHash: head!.rootHash });
    };
    expect(await verifyTampered(deleteTail)).toMatchObject({
      failure: { check: 'head-beyond-ledger', treeSize: H3, ledgerSize: H2 },
      message: `signed head at size ${H3} claims more entries than the ledger holds (${H2}; the tail was deleted)`,
    });
    // The store alone cannot tell: that is what the heads file outside it is for.
    expect(await verifyTampered(deleteTail, [])).toMatchObject({ ok: true, entries: H2 });
  });

  it('finds a deleted unsigned tail, and heads deleted from the store', async () => {
    const tail = await verifyTampered((tx) =>
      tx.delete(auditEntry).where(gt(auditEntry.sequence, H3 + 10)),
    );
    expect(tail).toMatchObject({
      failure: { check: 'tree-state-size', storedSize: N, ledgerSize: H3 + 10 },
      message: `the store's tree state counts ${N} entries, the ledger holds ${H3 + 10} (entries ${H3 + 11}–${N} deleted)`,
    });
    const heads = await verifyTampered((tx) =>
      tx.delete(auditTreeHead).where(gte(auditTreeHead.treeSize, H2)),
    );
    expect(heads).toMatchObject({
      failure: { check: 'head-missing-from-store', treeSize: H2, file: headsFile },
    });
  });

  it('finds forged entries with valid-looking sequence numbers and leaf hashes', async () => {
    const appended = await verifyTampered((tx) =>
      forge(tx, N + 1, N, { patientId: OTHER_PATIENT, outcome: 'allowed' }),
    );
    expect(appended).toMatchObject({
      failure: { check: 'tree-state-size', storedSize: N, ledgerSize: N + 1 },
      message: `the store's tree state counts ${N} entries, the ledger holds ${N + 1} (entry ${N + 1} added outside the integrator)`,
    });
    const s = before + 50;
    const replaced = await verifyTampered(async (tx) => {
      await tx.delete(auditEntry).where(eq(auditEntry.sequence, s));
      await forge(tx, s, s + 1, { action: 'readNothing' });
    });
    expect(replaced).toMatchObject({
      failure: { check: 'head-root', treeSize: H1, changedFrom: 1, changedTo: H1 },
    });
  });

  it('names the first of two entries whose places were swapped', async () => {
    const [a, b] = [before + 120, before + 130];
    const move = (tx: Queryable, from: number, to: number) =>
      tx.update(auditEntry).set({ sequence: to }).where(eq(auditEntry.sequence, from));
    const report = await verifyTampered(async (tx) => {
      // Through a free number: the sequence is unique at every step.
      await move(tx, a, -1);
      await move(tx, b, a);
      await move(tx, -1, b);
    });
    expect(report).toMatchObject({ failure: { check: 'leaf-hash', sequence: a } });
  });

  it('finds a ledger rewritten and re-signed with a stolen key, by the heads file', async () => {
    const resign = async (tx: Queryable) => {
      await rewrite(tx, before + 150, { action: 'readNothing' });
      await tx.delete(auditTreeHead).where(gte(auditTreeHead.treeSize, H2));
      const leafHashes: Uint8Array[] = [];
      for await (const entry of storedLedgerEntries(tx)) leafHashes.push(entry.leafHash);
      for (const treeSize of [H2, H3]) {
        const rootHash = rootOfLeafHashes(leafHashes.slice(0, treeSize));
        const head = signTreeHead({ treeSize, rootHash, timestamp: Date.now() }, t!.ctx.auditKey);
        await tx.insert(auditTreeHead).values({
          ...head,
          rootHash,
          signature: Buffer.from(head.signature),
        });
      }
      await tx.update(auditTreeState).set({ rootHash: rootOfLeafHashes(leafHashes) });
    };
    expect(await verifyTampered(resign)).toMatchObject({
      failure: { check: 'heads-contradict', treeSize: H2 },
    });
    expect(await verifyTampered(resign, [])).toMatchObject({ ok: true, entries: N });
  });

  it('runs as a command: exit 0 on the clean ledger, 1 naming the entry once tampered', async () => {
    const env = store.env;
    await t?.close();
    t = undefined;
    const output = { stdout: '', stderr: '' };
    const io = {
      stdout: (text: string) => (output.stdout += text),
      stderr: (text: string) => (output.stderr += text),
    };
    expect(await runAuditCommand(['verify'], env, io)).toBe(0);
    expect(output.stdout).toContain(
      `Audit ledger verified: ${N} entries verified against 3 signed heads;`,
    );
    const cli = await runCommandProcess(env, ['audit', 'verify', '--json']);
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, entries: N, headsVerified: 3 });

    // An auditor holding the public key alone; another key vouches for none of the heads.
    const publicKey = path.join(store.dataDir, 'audit-public-key.pem');
    const otherKey = path.join(store.dataDir, 'other-public-key.pem');
    t = await open();
    const keyId = t.ctx.auditKey.keyId;
    await writeFile(publicKey, publicKeyPem(t.ctx.auditKey));
    const { publicKey: other } = generateKeyPairSync('ed25519');
    await writeFile(otherKey, other.export({ type: 'spki', format: 'pem' }));
    const s = before + 150;
    await db().transaction((tx) =>
      asAttacker(tx, () =>
        tx.update(auditEntry).set({ action: 'readNothing' }).where(eq(auditEntry.sequence, s)),
      ),
    );
    await t.close();
    t = undefined;

    output.stdout = '';
    const withKey = ['verify', '--json', '--public-key', publicKey];
    expect(await runAuditCommand(withKey, env, io)).toBe(1);
    expect(JSON.parse(output.stdout)).toMatchObject({
      ok: false,
      failure: { check: 'leaf-hash', sequence: s },
    });
    output.stdout = '';
    expect(await runAuditCommand(['verify', '--public-key', otherKey], env, io)).toBe(1);
    expect(output.stdout).toContain(`signed by key ${keyId}, which is not a trusted key`);
    expect(keyIdOf(other)).not.toBe(keyId);

    const failed = await runCommandProcess(env, ['audit', 'verify', '--public-key', publicKey]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(
      `Audit ledger NOT verified: entry ${s}: stored content does not match its leaf hash.\n` +
        `  failed check: leaf-hash (after reading ${s} entries)\n`,
    );
  });
});
