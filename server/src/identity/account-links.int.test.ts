import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../platform/db/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMessages } from '../outbox/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { cookieOf } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { signInThrottle, staffUser } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const ADMIN_PASSWORD = 'lantern orchard tuesday mosaic';
const NEW_PASSWORD = 'pebble meadow quartz violin';

describe.each(storeTargets())('invitations, password resets and the outbox on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let admin: { cookie: string; csrf: string };
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(target, {
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: 'https://care.example',
    });
    t.ctx.now = () => clock;
    clock = new Date('2026-11-25T08:00:00Z');
    const user = await createStaffUser(t.ctx.store.db, {
      email: 'admin@clinic.example',
      displayName: 'Ada Admin',
      role: 'admin',
    });
    await setStaffPassword(t.ctx.store.db, user.id, ADMIN_PASSWORD, clock);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.ctx.store.db.delete(signInThrottle);
    // A fresh admin session each time: some tests move the clock past a session's end.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'admin@clinic.example', password: ADMIN_PASSWORD },
    });
    admin = { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });

  /** The token in the link of the newest message to `recipient`. */
  async function linkTokenFor(recipient: string): Promise<string> {
    const messages = await listMessages(t.ctx.store.db, t.ctx.fields, 50);
    const message = messages.find((m) => m.recipient === recipient);
    const token = /#token=([\w-]+)/.exec(message?.body ?? '')?.[1];
    if (!token) throw new Error(`no link for ${recipient}`);
    return token;
  }

  async function invite(displayName = 'Nina Nurse') {
    const email = `staff${++n}@clinic.example`;
    const res = await post(
      '/api/admin/staff',
      { email, displayName, role: 'nurse' },
      { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    );
    expect(res.statusCode).toBe(201);
    return { email, id: res.json<{ id: string }>().id };
  }

  it('an admin invites staff through the outbox, with the link in its fragment', async () => {
    const { email } = await invite();
    const outbox = await t.app.inject({
      url: '/api/admin/outbox',
      headers: { cookie: admin.cookie },
    });
    const message = outbox
      .json<{ messages: { recipient: string; body: string; purpose: string }[] }>()
      .messages.find((m) => m.recipient === email);
    expect(message?.purpose).toBe('staff_invitation');
    // Without a mail transport the message is kept for the admin, never queued for sending.
    expect(message).toMatchObject({ state: 'stored', sentAt: null, attempts: 0 });
    expect(message?.body).toMatch(/https:\/\/care\.example\/welcome#token=[\w-]{43}/);
    // At rest the message is sealed: the link is a credential.
    const raw = JSON.stringify(await queryRows(t.ctx.store.db, sql`select * from outbox_message`));
    expect(raw).not.toContain(email);
    expect(raw).not.toContain('#token=');
    const again = await post(
      '/api/admin/staff',
      { email, displayName: 'Twice', role: 'nurse' },
      { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    );
    expect(again.json()).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('the invitee sees who the link is for, gets reasons as they type, and signs in on setting a password', async () => {
    const { email } = await invite('Nina Nurse');
    const token = await linkTokenFor(email);
    const inspect = await post('/api/auth/links/inspect', { token, purpose: 'invitation' });
    expect(inspect.json()).toEqual({ email, displayName: 'Nina Nurse', role: 'nurse' });

    const check = (password: string) =>
      post('/api/auth/links/password-check', { token, purpose: 'invitation', password });
    const short = (await check('short')).json<{ acceptable: boolean; problems: unknown[] }>();
    expect(short.acceptable).toBe(false);
    expect(short.problems).toContainEqual({ code: 'too_short', min: 15 });
    expect(
      (await check('nina nurse 2026 x'))
        .json<{ problems: { code: string }[] }>()
        .problems.map((p) => p.code),
    ).toContain('context');
    expect((await check(NEW_PASSWORD)).json()).toMatchObject({ acceptable: true, problems: [] });

    const refused = await post('/api/auth/links/set-password', {
      token,
      purpose: 'invitation',
      password: '1qaz2wsx3edc4rfv',
    });
    expect(refused.json()).toMatchObject({
      status: 422,
      code: 'password_rejected',
      errors: [{ path: 'body.password', message: 'common' }],
    });

    const set = await post('/api/auth/links/set-password', {
      token,
      purpose: 'invitation',
      password: NEW_PASSWORD,
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ stage: 'full', user: { email } });
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: cookieOf(set) } }))
        .statusCode,
    ).toBe(200);

    // Single use: the same link no longer works, for anything.
    const reuse = await post('/api/auth/links/set-password', {
      token,
      purpose: 'invitation',
      password: NEW_PASSWORD,
    });
    expect(reuse.json()).toMatchObject({ status: 400, code: 'token_invalid' });
    expect(
      (await post('/api/auth/links/inspect', { token, purpose: 'invitation' })).statusCode,
    ).toBe(400);
  });

  it('refuses expired, malformed and wrong-purpose links with one answer', async () => {
    const { email } = await invite();
    const token = await linkTokenFor(email);
    const answers = [
      await post('/api/auth/links/inspect', { token: 'not-a-token', purpose: 'invitation' }),
      await post('/api/auth/links/inspect', { token: 'A'.repeat(43), purpose: 'invitation' }),
      await post('/api/auth/links/inspect', { token, purpose: 'password_reset' }),
    ];
    clock = new Date(clock.getTime() + 73 * 3_600_000);
    answers.push(await post('/api/auth/links/inspect', { token, purpose: 'invitation' }));
    for (const res of answers)
      expect(res.json()).toMatchObject({ status: 400, code: 'token_invalid' });
    expect(
      (await post('/api/auth/links/inspect', { token, purpose: 'invitation', extra: 1 })).json(),
    ).toMatchObject({ code: 'validation_failed' });
  });

  it('resets a password through the outbox without revealing which addresses have accounts', async () => {
    const { email, id } = await invite();
    await post('/api/auth/links/set-password', {
      token: await linkTokenFor(email),
      purpose: 'invitation',
      password: NEW_PASSWORD,
    });
    const old = await post('/api/auth/sign-in', { email, password: NEW_PASSWORD });
    await t.ctx.store.db
      .update(staffUser)
      .set({ lockedAt: clock, failedSignIns: 100 })
      .where(eq(staffUser.id, id));

    const known = await post('/api/auth/password-reset', { email });
    const unknown = await post('/api/auth/password-reset', { email: 'nobody@clinic.example' });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);

    const token = await linkTokenFor(email);
    expect(token).not.toBe('');
    const reset = await post('/api/auth/links/set-password', {
      token,
      purpose: 'password_reset',
      password: 'amber falcon river stone',
    });
    expect(reset.statusCode).toBe(200);
    // The lock is lifted and every older session has ended.
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: cookieOf(old) } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await post('/api/auth/sign-in', { email, password: 'amber falcon river stone' })).statusCode,
    ).toBe(200);
    expect((await post('/api/auth/sign-in', { email, password: NEW_PASSWORD })).statusCode).toBe(
      401,
    );
  });

  it('keeps invitations and the outbox to admins', async () => {
    const nurse = await invite();
    const set = await post('/api/auth/links/set-password', {
      token: await linkTokenFor(nurse.email),
      purpose: 'invitation',
      password: NEW_PASSWORD,
    });
    const headers = {
      cookie: cookieOf(set),
      'x-csrf-token': set.json<{ csrfToken: string }>().csrfToken,
    };
    expect(
      (
        await post(
          '/api/admin/staff',
          { email: 'x@clinic.example', displayName: 'X', role: 'admin' },
          headers,
        )
      ).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/admin/outbox', headers })).statusCode).toBe(403);
  });
});
