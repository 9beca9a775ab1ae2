import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from './demo/index.js';
import { countCspViolations } from './governance/index.js';
import { listStaffUsers } from './identity/index.js';
import { queryRows } from './platform/db/index.js';
import { sql } from 'drizzle-orm';
import { createTestContext } from './test-support/context.js';
import { startReadyServer, startServerProcess } from './test-support/server-process.js';
import { TestSmtpServer } from './test-support/smtp-server.js';
import { createTestStore, storeTargets, type TestStoreEnv } from './test-support/stores.js';

const report = JSON.stringify({
  'csp-report': { 'effective-directive': 'img-src', 'blocked-uri': 'https://x.example/a' },
});

describe.each(storeTargets())('the server process on %s', (target) => {
  let store: TestStoreEnv | undefined;
  const masterKey = randomBytes(32).toString('base64');
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('survives kill -9: the demo data and every acknowledged write are there, and the seed runs once', async () => {
    store = await createTestStore(target);
    const env = { ...store.env, MASTER_KEY: masterKey };
    const first = await startReadyServer(env, ['--demo']);
    expect(first.server.logs.some((l) => l.msg === 'demo clinic seeded')).toBe(true);
    const ack = await fetch(`${first.baseUrl}/api/security/csp-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/csp-report' },
      body: report,
    });
    expect(ack.status).toBe(204);
    first.server.child.kill('SIGKILL');
    await first.server.exited;

    const second = await startReadyServer(env, ['--demo']);
    expect(second.server.logs.some((l) => l.msg === 'demo clinic already present')).toBe(true);
    expect((await fetch(`${second.baseUrl}/readyz`)).status).toBe(200);
    const clinic = (await (await fetch(`${second.baseUrl}/api/clinic`)).json()) as { name: string };
    expect(clinic.name).toBe('Riverside Family Practice');
    second.server.child.kill('SIGTERM');
    expect(await second.server.exited).toBe(0);

    const tc = await createTestContext(target, { MASTER_KEY: masterKey }, store);
    try {
      expect(await listStaffUsers(tc.ctx.store.db)).toHaveLength(DEMO_STAFF.length);
      const [patients] = await queryRows<{ n: number }>(
        tc.ctx.store.db,
        sql`select count(*)::int as n from patient`,
      );
      expect(patients?.n).toBe(3);
      expect(await countCspViolations(tc.ctx.store.db)).toBe(1);
    } finally {
      await tc.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    store = await createTestStore(target);
    const { server } = await startReadyServer({ ...store.env, MASTER_KEY: masterKey });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down: finishing requests in flight', 'stopped']),
    );
  });

  it('e-mails through the configured relay while it runs, and stops cleanly', async () => {
    store = await createTestStore(target);
    const smtp = new TestSmtpServer();
    await smtp.start();
    try {
      const { server, baseUrl } = await startReadyServer(
        {
          ...store.env,
          MASTER_KEY: masterKey,
          OUTBOX_TRANSPORT: 'smtp',
          SMTP_URL: smtp.url,
          MAIL_FROM: 'no-reply@riverside.example',
        },
        ['--demo'],
      );
      const email = DEMO_STAFF[0]?.email ?? '';
      const res = await fetch(`${baseUrl}/api/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(res.status).toBe(202);
      expect((await smtp.mailTo(email)).raw).toMatch(/^Subject: Reset your SafeConsult password/m);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await smtp.stop();
    }
  });
});

describe('the server process refuses to start', () => {
  it('on bad configuration, naming each bad variable', async () => {
    const server = startServerProcess({ PORT: 'abc', LOG_LEVEL: 'chatty' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toMatch(/PORT: must be a whole number \(got "abc"\)/);
    expect(server.stderr()).toMatch(/LOG_LEVEL: .*\(got "chatty"\)/);
  });

  it('on an unknown argument', async () => {
    const server = startServerProcess({}, ['--demo', '--frobnicate']);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toMatch(/Usage: safeconsult/);
  });

  it('while another server uses the same data folder', async () => {
    const store = await createTestStore('pglite');
    try {
      const first = await startReadyServer(store.env);
      const second = startServerProcess(store.env);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toMatch(/in use by another SafeConsult process/);
      first.server.child.kill('SIGTERM');
      expect(await first.server.exited).toBe(0);
    } finally {
      await store.cleanup();
    }
  });
});
