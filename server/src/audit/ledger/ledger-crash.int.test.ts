import { randomBytes } from 'node:crypto';
import { and, inArray, isNotNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, DEMO_STAFF_PASSWORD } from '../../demo/index.js';
import { loadConfig } from '../../platform/config/index.js';
import { openStore } from '../../platform/db/index.js';
import { createLogger } from '../../platform/log/index.js';
import { demoStaff } from '../../test-support/demo-sessions.js';
import { startReadyServer } from '../../test-support/server-process.js';
import { createTestStore, storeTargets, type TestStoreEnv } from '../../test-support/stores.js';
import { sameHash } from '../merkle/hash.js';
import { auditEntry } from '../schema.js';
import { runAuditCommand } from '../verify/verify-command.js';
import { readHeadFile } from './head-file.js';
import { pendingEntryCount, storedTreeHeads } from './read.js';

const MARIA = DEMO_PATIENTS[0]!.patient.id!;

async function signIn(baseUrl: string, prefix: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoStaff(prefix).email, password: DEMO_STAFF_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';', 1)[0] ?? '';
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(storeTargets())('the audit ledger through kill -9 on %s', (target) => {
  let store: TestStoreEnv | undefined;
  const masterKey = randomBytes(32).toString('base64');
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('keeps the entry of every acknowledged read and every signed head, and verifies', async () => {
    store = await createTestStore(target);
    const env = {
      ...store.env,
      MASTER_KEY: masterKey,
      MFA_REQUIRED_ROLES: 'none',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Heads are signed all through the load, so the kill may fall between a head's commit and
      // its copy to the heads file.
      AUDIT_HEAD_EVERY_ENTRIES: '20',
    };
    const config = loadConfig(env);
    const { headsFile } = config.audit;
    const first = await startReadyServer(env, ['--demo']);
    const cookie = await signIn(first.baseUrl, 'amara.');

    // Dr. Okafor cares for Maria Schneider: each read is allowed, and recorded before its answer.
    const acknowledged: string[] = [];
    let killed = false;
    const reader = async () => {
      while (!killed) {
        const res = await fetch(`${first.baseUrl}/api/patients/${MARIA}/sections/problems`, {
          headers: { cookie },
        }).catch(() => undefined);
        if (!res) return;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) acknowledged.push(res.headers.get('x-request-id') ?? '');
      }
    };
    const readers = Array.from({ length: 8 }, reader);
    await waitUntil(
      async () => acknowledged.length >= 100 && (await readHeadFile(headsFile)).length >= 3,
    );
    first.server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(readers);
    await first.server.exited;
    const filedBeforeCrash = await readHeadFile(headsFile);

    // A restart integrates what the crash left pending; its shutdown signs a last head.
    const second = await startReadyServer(env);
    second.server.child.kill('SIGTERM');
    expect(await second.server.exited).toBe(0);

    const opened = await openStore(config.store, createLogger('silent'));
    try {
      const db = opened.db;
      expect(await pendingEntryCount(db)).toBe(0);
      const recorded = await db
        .select({ requestId: auditEntry.requestId })
        .from(auditEntry)
        .where(and(inArray(auditEntry.requestId, acknowledged), isNotNull(auditEntry.sequence)));
      const withEntry = new Set(recorded.map((r) => r.requestId));
      expect(acknowledged.filter((id) => !withEntry.has(id))).toEqual([]);
      const stored = await storedTreeHeads(db);
      const lost = filedBeforeCrash.filter(
        (head) =>
          !stored.some((s) => s.treeSize === head.treeSize && sameHash(s.rootHash, head.rootHash)),
      );
      expect(lost).toEqual([]);
    } finally {
      await opened.close();
    }

    const output = { stdout: '', stderr: '' };
    const code = await runAuditCommand(['verify', '--json'], store.env, {
      stdout: (text) => (output.stdout += text),
      stderr: (text) => (output.stderr += text),
    });
    expect({ code, stderr: output.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(output.stdout) as {
      entries: number;
      headsInStore: number;
      headsInFiles: { file: string; heads: number }[];
    };
    expect(report).toMatchObject({ ok: true, signedThrough: report.entries });
    const [filed] = report.headsInFiles;
    expect(filed?.file).toBe(headsFile);
    // Nothing filed before the kill is lost from the file...
    expect(filed?.heads).toBeGreaterThanOrEqual(filedBeforeCrash.length);
    // ...and the file mirrors the store, but for the one head the kill may have caught between its
    // commit and its line in the file.
    expect(report.headsInStore - (filed?.heads ?? 0)).toBeGreaterThanOrEqual(0);
    expect(report.headsInStore - (filed?.heads ?? 0)).toBeLessThanOrEqual(1);
  });
});
