import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { OutboxMessage } from '@safeconsult/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { signInThrottle } from '../identity/schema.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { SMTP_PASSWORD, TestSmtpServer, type ReceivedMail } from '../test-support/smtp-server.js';
import { storeTargets } from '../test-support/stores.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import { startOutboxDelivery } from './delivery.js';
import type { DeliveryWorker } from './delivery-worker.js';
import { outboxMessage } from './schema.js';
import { enqueueMessage } from './service.js';

const ADMIN_PASSWORD = 'lantern orchard tuesday mosaic';
/** The default back-off, with a quick poll so that moving the test clock takes effect at once. */
const POLICY: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 20 };

/** Quoted-printable (RFC 2045) as nodemailer writes long text lines: soft breaks and =XX bytes. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function bodyOf(mail: ReceivedMail): string {
  const [head = '', ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  return /content-transfer-encoding:\s*quoted-printable/i.test(head)
    ? decodeQuotedPrintable(body)
    : body;
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.each(storeTargets())('outbox delivery over SMTP on %s', (target) => {
  const smtp = new TestSmtpServer();
  let t: TestApp;
  let clock: Date;
  let admin: { cookie: string; csrf: string };
  let worker: DeliveryWorker | undefined;
  let n = 0;

  beforeAll(async () => {
    await smtp.start();
    t = await createTestApp(target, {
      OUTBOX_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Riverside Family Practice <no-reply@riverside.example>',
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: 'https://care.example',
      // Tests move the clock by hours; the admin's session should outlast that.
      SESSION_IDLE_MINUTES: '1440',
      SESSION_MAX_HOURS: '168',
    });
    clock = new Date('2026-11-25T08:00:00Z');
    t.ctx.now = () => clock;
    const user = await createStaffUser(t.ctx.store.db, {
      email: 'admin@riverside.example',
      displayName: 'Ada Admin',
      role: 'admin',
    });
    await setStaffPassword(t.ctx.store.db, user.id, ADMIN_PASSWORD, clock);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    // Inviting is a sensitive action: sign in afresh, as tests move the clock on.
    await t.ctx.store.db.delete(signInThrottle);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'admin@riverside.example', password: ADMIN_PASSWORD },
    });
    const cookie = String(res.headers['set-cookie']).split(';', 1)[0] ?? '';
    admin = { cookie, csrf: res.json<{ csrfToken: string }>().csrfToken };
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    smtp.refuseRecipients(0);
  });

  const later = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  async function invite(): Promise<string> {
    const email = `staff${++n}@riverside.example`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      payload: { email, displayName: 'Nina Nurse', role: 'nurse' },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(res.statusCode).toBe(201);
    return email;
  }

  async function outboxEntry(recipient: string): Promise<OutboxMessage> {
    const res = await t.app.inject({ url: '/api/admin/outbox', headers: { cookie: admin.cookie } });
    const entry = res
      .json<{ messages: OutboxMessage[] }>()
      .messages.find((m) => m.recipient === recipient);
    if (!entry) throw new Error(`no outbox entry for ${recipient}`);
    return entry;
  }

  /** The attempt has run and its outcome is stored (the message is no longer claimed). */
  async function attemptRecorded(recipient: string, attempt: number): Promise<boolean> {
    const { id, attempts } = await outboxEntry(recipient);
    const [row] = await t.ctx.store.db
      .select({ claimedUntil: outboxMessage.claimedUntil })
      .from(outboxMessage)
      .where(eq(outboxMessage.id, id));
    return attempts === attempt && row?.claimedUntil === null;
  }

  const attemptsTo = (recipient: string) =>
    smtp.recipientsTried.filter((r) => r === recipient).length;

  it('mails an invitation made through the API at once, with its link, and records it as sent', async () => {
    // A poll far away: only the wake-up after the commit can send the message promptly.
    worker = startOutboxDelivery(t.ctx, { ...POLICY, pollIntervalMs: 60_000 });
    await sleep(50); // the worker has looked once and gone to sleep
    const email = await invite();

    const mail = await smtp.mailTo(email);
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('no-reply@riverside.example');
    expect(mail.raw).toMatch(/^Subject: Your SafeConsult account at SafeConsult$/m);
    expect(mail.raw).toMatch(/^From: Riverside Family Practice <no-reply@riverside\.example>$/m);
    expect(mail.raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(bodyOf(mail)).toMatch(/https:\/\/care\.example\/welcome#token=[\w-]{43}\r?\n/);

    await until(async () => (await outboxEntry(email)).state === 'sent', 'the sent mark');
    expect(await outboxEntry(email)).toMatchObject({
      state: 'sent',
      sentAt: clock.toISOString(),
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('retries a refused recipient with exponential back-off until the relay accepts', async () => {
    worker = startOutboxDelivery(t.ctx, POLICY);
    smtp.refuseRecipients(2);
    const start = clock.getTime();
    const email = await invite();

    await until(async () => (await outboxEntry(email)).attempts === 1, 'the first attempt');
    await until(async () => (await outboxEntry(email)).lastError !== null, 'its outcome');
    expect(await outboxEntry(email)).toMatchObject({
      state: 'pending',
      sentAt: null,
      attempts: 1,
      lastError: 'EENVELOPE: RCPT TO answered 451',
      nextAttemptAt: new Date(start + 30_000).toISOString(),
    });

    later(29_000); // not yet due: nothing happens
    await sleep(200);
    expect(attemptsTo(email)).toBe(1);

    later(1_000);
    await until(async () => (await outboxEntry(email)).attempts === 2, 'the second attempt');
    await until(
      async () =>
        (await outboxEntry(email)).nextAttemptAt === new Date(start + 90_000).toISOString(),
      'the second back-off, twice the first',
    );

    later(60_000);
    await smtp.mailTo(email);
    await until(async () => (await outboxEntry(email)).state === 'sent', 'the sent mark');
    expect(await outboxEntry(email)).toMatchObject({ attempts: 3, lastError: null });
    expect(attemptsTo(email)).toBe(3);
    expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('keeps a message while the relay is down and sends it when the relay is back', async () => {
    worker = startOutboxDelivery(t.ctx, POLICY);
    await smtp.stop();
    const email = await invite();
    await until(async () => (await outboxEntry(email)).lastError !== null, 'a failed attempt');
    const entry = await outboxEntry(email);
    expect(entry.state).toBe('pending');
    expect(entry.lastError).toMatch(/^E[A-Z]+$/); // the connection error's code

    await smtp.start();
    later(30_000);
    await smtp.mailTo(email);
    await until(async () => (await outboxEntry(email)).state === 'sent', 'the sent mark');
  });

  it('gives up after the last attempt and says so', async () => {
    worker = startOutboxDelivery(t.ctx, { ...POLICY, maxAttempts: 3 });
    smtp.refuseRecipients(3);
    const email = await invite();
    for (const attempt of [1, 2, 3]) {
      await until(() => attemptRecorded(email, attempt), `attempt ${attempt}`);
      later(60 * 60_000);
    }
    await until(async () => (await outboxEntry(email)).state === 'failed', 'the failed mark');
    expect(await outboxEntry(email)).toMatchObject({
      attempts: 3,
      nextAttemptAt: null,
      lastError: 'EENVELOPE: RCPT TO answered 451',
    });
    later(24 * 3_600_000);
    await sleep(200);
    expect(attemptsTo(email)).toBe(3);
  });

  it('two workers (as on two nodes) never send one message twice', async () => {
    const second = startOutboxDelivery(t.ctx, POLICY);
    worker = startOutboxDelivery(t.ctx, POLICY);
    smtp.delayData(30);
    const recipients = Array.from({ length: 8 }, (_, i) => `batch${i}@riverside.example`);
    try {
      await t.ctx.store.db.transaction(async (tx) => {
        for (const recipient of recipients) {
          await enqueueMessage(
            t.ctx,
            tx,
            {
              channel: 'email',
              purpose: 'password_reset',
              recipient,
              subject: 'Reset your password at Riverside',
              body: 'Follow https://care.example/reset-password/new#token=batch',
            },
            clock,
          );
        }
      });
      t.ctx.outboxSignal.notify();
      for (const recipient of recipients) await smtp.mailTo(recipient);
      await sleep(200);
      for (const recipient of recipients) {
        expect(smtp.received.filter((m) => m.to.includes(recipient))).toHaveLength(1);
      }
    } finally {
      smtp.delayData(0);
      await second.stop();
    }
  });

  it('finishes the message in flight when stopped', async () => {
    worker = startOutboxDelivery(t.ctx, POLICY);
    smtp.delayData(300);
    let dataStarted!: () => void;
    const started = new Promise<void>((resolve) => (dataStarted = resolve));
    smtp.onDataStart = dataStarted;
    try {
      const email = await invite();
      await started;
      await worker.stop();
      worker = undefined;
      // Recorded before stop() returned, not merely handed over.
      expect(smtp.received.some((m) => m.to.includes(email))).toBe(true);
      expect((await outboxEntry(email)).state).toBe('sent');
    } finally {
      smtp.delayData(0);
      smtp.onDataStart = () => {};
    }
  });

  it('wrote no recipient, subject, link or relay password to the log', () => {
    const log = t.logs.text;
    expect(log).toContain('outbox message sent');
    expect(log).toContain('outbox message not sent; will retry');
    for (const secret of [
      '@riverside.example',
      'Your SafeConsult account',
      'Reset your password',
      'token=',
      SMTP_PASSWORD,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
