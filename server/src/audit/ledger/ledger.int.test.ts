import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/index.js';
import { createTestContext, type TestContext } from '../../test-support/context.js';
import { sampleAuditEntry } from '../../test-support/audit-entries.js';
import { storeTargets } from '../../test-support/stores.js';
import { verifyLedger } from '../verify/ledger-verifier.js';
import { appendAuditEntries } from './append.js';
import { readHeadFile } from './head-file.js';
import { INTEGRATION_BATCH, integrateStep } from './integrate.js';
import { LedgerIntegrator } from './integrator.js';
import { pendingEntryCount, storedLedgerEntries, storedTreeHeads } from './read.js';

const entry = sampleAuditEntry;

describe.each(storeTargets())('the audit ledger on %s', (target) => {
  let t: TestContext;
  const schedule = { everyEntries: 100, everyMs: 60_000 };

  beforeAll(async () => {
    t = await createTestContext(target);
  });
  afterAll(() => t.close());

  const verify = async () =>
    verifyLedger(storedLedgerEntries(t.ctx.store.db), await storedTreeHeads(t.ctx.store.db), [
      t.ctx.auditKey,
    ]);

  it('keeps an entry written in a committed transaction and none from a rolled-back one', async () => {
    const before = await pendingEntryCount(t.ctx.store.db);
    await t.ctx.store.db.transaction((tx) => appendAuditEntries(tx, [entry(1)]));
    await expect(
      t.ctx.store.db.transaction(async (tx) => {
        await appendAuditEntries(tx, [entry(2)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await pendingEntryCount(t.ctx.store.db)).toBe(before + 1);
  });

  it('integrates pending entries gaplessly, signs heads on schedule, and verifies', async () => {
    const pending = await pendingEntryCount(t.ctx.store.db);
    await appendAuditEntries(
      t.ctx.store.db,
      Array.from({ length: 250 }, (_, i) => entry(i + 10)),
    );
    const now = new Date();
    const first = await integrateStep(t.ctx.store.db, t.ctx.auditKey, schedule, now);
    expect(first.integrated).toBe(pending + 250);
    expect(first.head?.treeSize).toBe(first.treeSize);

    await appendAuditEntries(t.ctx.store.db, [entry(500)]);
    const second = await integrateStep(t.ctx.store.db, t.ctx.auditKey, schedule, now);
    // One new entry is less than the schedule's 100, and the last head is not a minute old.
    expect(second).toMatchObject({ integrated: 1, treeSize: first.treeSize + 1, head: undefined });

    const report = await verify();
    expect(report).toMatchObject({
      ok: true,
      entries: second.treeSize,
      signedThrough: first.treeSize,
    });
    const sequences = await queryRows<{ sequence: number }>(
      t.ctx.store.db,
      sql`select sequence from audit_entry order by sequence`,
    );
    expect(sequences.map((r) => Number(r.sequence))).toEqual(
      Array.from({ length: second.treeSize }, (_, i) => i + 1),
    );
  });

  it('refuses to change or delete an entry, or a signed head', async () => {
    // Drizzle wraps the store's error; the trigger's message is its cause.
    const refused = (statement: ReturnType<typeof sql>) =>
      expect(t.ctx.store.db.execute(statement)).rejects.toMatchObject({
        cause: { message: 'the audit ledger is append-only' },
      });
    await refused(sql`update audit_entry set action = 'forged' where sequence = 1`);
    await refused(sql`delete from audit_entry where sequence = 1`);
    await refused(sql`update audit_entry set sequence = null where sequence = 2`);
    await refused(sql`delete from audit_tree_head`);
    const [kept] = await queryRows<{ action: string }>(
      t.ctx.store.db,
      sql`select action from audit_entry where sequence = 1`,
    );
    expect(kept?.action).toBe('readRecord');
  });

  it('signs a last head when stopped, and copies every head to the head file', async () => {
    await appendAuditEntries(t.ctx.store.db, [entry(600), entry(601)]);
    const integrator = new LedgerIntegrator({
      db: t.ctx.store.db,
      key: t.ctx.auditKey,
      schedule,
      headsFile: t.ctx.config.audit.headsFile,
      log: t.ctx.log,
      now: () => new Date(),
    }).start();
    await integrator.stop();
    expect(await pendingEntryCount(t.ctx.store.db)).toBe(0);
    const report = await verify();
    expect(report.ok && report.signedThrough === report.entries).toBe(true);
    const filed = await readHeadFile(t.ctx.config.audit.headsFile);
    const stored = await storedTreeHeads(t.ctx.store.db);
    expect(filed.at(-1)).toEqual(stored.at(-1));
  });

  it('integrates in batches when more is pending than one step takes', async () => {
    await appendAuditEntries(
      t.ctx.store.db,
      Array.from({ length: INTEGRATION_BATCH + 3 }, (_, i) => entry(1000 + i)),
    );
    const step = await integrateStep(t.ctx.store.db, t.ctx.auditKey, schedule, new Date());
    expect(step.integrated).toBe(INTEGRATION_BATCH);
    expect(await pendingEntryCount(t.ctx.store.db)).toBe(3);
  });
});
