import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { cookieOf } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { hashPassword } from './password/password-hash.js';
import { auditEntryTable as securityEvent } from '../audit/index.js';
import { signInThrottle, staffUser } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const MINUTE = 60_000;

describe.each(storeTargets())('staff sign-in and sessions on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  const users: Record<'clinician' | 'admin' | 'officer', { id: string; email: string }> =
    {} as never;

  beforeAll(async () => {
    // Second factors have their own tests; here every role signs in with the password alone.
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    t.ctx.now = () => clock;
    clock = new Date('2026-11-25T08:00:00Z');
    for (const [key, role] of [
      ['clinician', 'clinician'],
      ['admin', 'admin'],
      ['officer', 'security_officer'],
    ] as const) {
      const email = `${key}@clinic.example`;
      const user = await createStaffUser(t.ctx.store.db, {
        email,
        displayName: `Test ${key}`,
        role,
      });
      await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
      users[key] = { id: user.id, email };
    }
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock = new Date(clock.getTime() + 24 * 60 * MINUTE); // each test starts on a fresh day
    await t.ctx.store.db.delete(signInThrottle);
    await t.ctx.store.db
      .update(staffUser)
      .set({ failedSignIns: 0, lastFailedSignInAt: null, lockedAt: null });
  });

  const signIn = (
    email: string,
    password: string,
    extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password },
      remoteAddress: extra.remoteAddress ?? '127.0.0.1',
      headers: extra.headers ?? {},
    });

  async function session(email: string) {
    const res = await signIn(email, PASSWORD);
    expect(res.statusCode).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
  }

  const events = async (type: string) =>
    (await t.ctx.store.db.select().from(securityEvent).where(eq(securityEvent.action, type)))
      .length;

  it('signs in with a hardened cookie and shows the session', async () => {
    const res = await signIn('Clinician@Clinic.example', PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^safeconsult_session=[\w-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const me = await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookieOf(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      session: {
        user: { id: users.clinician.id, role: 'clinician', email: 'clinician@clinic.example' },
        idleTimeoutSeconds: 900,
        csrfToken: res.json<{ csrfToken: string }>().csrfToken,
      },
    });
    expect((await t.app.inject({ url: '/api/auth/session' })).json()).toEqual({
      session: null,
      passkeysAvailable: true,
    });
  });

  it('gives a wrong password and an unknown account the same answer', async () => {
    const wrong = await signIn(users.clinician.email, 'not the password at all');
    const unknown = await signIn('nobody@clinic.example', PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const { instance: _a, ...a } = wrong.json<Record<string, unknown>>();
    const { instance: _b, ...b } = unknown.json<Record<string, unknown>>();
    expect(a).toEqual(b);
    expect(a.code).toBe('invalid_credentials');
  });

  it('refuses a request without a session, and one with an unknown cookie', async () => {
    expect((await t.app.inject({ url: '/api/auth/sessions' })).json()).toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    const forged = await t.app.inject({
      url: '/api/auth/sessions',
      headers: { cookie: 'safeconsult_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('requires the anti-forgery token on every write of a signed-in user', async () => {
    const { cookie, csrf } = await session(users.clinician.email);
    const signOut = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, ...headers } });
    expect((await signOut({})).json()).toMatchObject({ status: 403, code: 'csrf_failed' });
    expect((await signOut({ 'x-csrf-token': `${csrf}x` })).statusCode).toBe(403);
    expect((await signOut({ 'x-csrf-token': csrf })).statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('refuses writes from another site', async () => {
    const res = await signIn(users.clinician.email, PASSWORD, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.json()).toMatchObject({ status: 403, code: 'origin_refused' });
    expect(res.headers['set-cookie']).toBeUndefined();
    const same = await signIn(users.clinician.email, PASSWORD, {
      headers: { origin: 'http://localhost:80' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('ends a session after 15 idle minutes', async () => {
    const { cookie } = await session(users.clinician.email);
    clock = new Date(clock.getTime() + 14 * MINUTE);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
    ).toBe(200);
    clock = new Date(clock.getTime() + 14 * MINUTE); // active 14 minutes ago: still alive
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
    ).toBe(200);
    clock = new Date(clock.getTime() + 16 * MINUTE);
    const idle = await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } });
    expect(idle.statusCode).toBe(401);
    expect(String(idle.headers['set-cookie'])).toMatch(/safeconsult_session=;/);
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const { cookie } = await session(users.clinician.email);
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      clock = new Date(clock.getTime() + 10 * MINUTE);
      expect(
        (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
      ).toBe(200);
    }
    clock = new Date(clock.getTime() + 10 * MINUTE);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('backs off exponentially after five failures per account', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn(users.clinician.email, `wrong password ${i}`)).statusCode).toBe(401);
    }
    const first = await signIn(users.clinician.email, PASSWORD);
    expect(first.json()).toMatchObject({ status: 429, code: 'sign_in_throttled' });
    expect(first.headers['retry-after']).toBe('1');
    clock = new Date(clock.getTime() + 1_000);
    expect((await signIn(users.clinician.email, 'wrong password 5')).statusCode).toBe(401);
    // Each further failure doubles the wait.
    expect((await signIn(users.clinician.email, PASSWORD)).headers['retry-after']).toBe('2');
    clock = new Date(clock.getTime() + 2_000);
    expect((await signIn(users.clinician.email, PASSWORD)).statusCode).toBe(200);
    expect(await events('sign_in_throttled')).toBeGreaterThan(0);
  });

  it('locks an account at 100 consecutive failures until an admin unlocks it', async () => {
    await t.ctx.store.db
      .update(staffUser)
      .set({ failedSignIns: 99, lastFailedSignInAt: new Date(clock.getTime() - 60 * MINUTE) })
      .where(eq(staffUser.id, users.clinician.id));
    const before = await events('account_locked');
    expect((await signIn(users.clinician.email, 'wrong again')).json()).toMatchObject({
      status: 423,
      code: 'account_locked',
    });
    expect((await signIn(users.clinician.email, PASSWORD)).statusCode).toBe(423);
    expect(await events('account_locked')).toBe(before + 1);

    const admin = await session(users.admin.email);
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/admin/staff/${users.clinician.id}/unlock`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(unlock.statusCode).toBe(204);
    expect((await signIn(users.clinician.email, PASSWORD)).statusCode).toBe(200);
  });

  it('slows down an address that fails against many accounts', async () => {
    const remoteAddress = '198.51.100.7';
    for (let i = 0; i < 50; i++) {
      expect(
        (await signIn(`guess${i}@clinic.example`, PASSWORD, { remoteAddress })).statusCode,
      ).toBe(401);
    }
    const blocked = await signIn(users.clinician.email, PASSWORD, { remoteAddress });
    expect(blocked.statusCode).toBe(429);
    expect(
      (await signIn(users.clinician.email, PASSWORD, { remoteAddress: '198.51.100.8' })).statusCode,
    ).toBe(200);
    clock = new Date(clock.getTime() + 16 * MINUTE);
    expect((await signIn(users.clinician.email, PASSWORD, { remoteAddress })).statusCode).toBe(200);
  });

  it('lets a user see and end their sessions, and an admin end all of them', async () => {
    const laptop = await session(users.clinician.email);
    const phone = await session(users.clinician.email);
    const list = await t.app.inject({
      url: '/api/auth/sessions',
      headers: { cookie: laptop.cookie },
    });
    const sessions = list.json<{ sessions: { id: string; current: boolean }[] }>().sessions;
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const other = sessions.find((s) => !s.current);
    if (!other) throw new Error('expected a second session');
    const end = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${other.id}`,
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrf },
    });
    expect(end.statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: phone.cookie } }))
        .statusCode,
    ).toBe(401);

    const admin = await session(users.admin.email);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/admin/staff/${users.clinician.id}/revoke-sessions`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(revoke.json<{ revoked: number }>().revoked).toBeGreaterThanOrEqual(1);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: laptop.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('keeps administration to its roles', async () => {
    const clinician = await session(users.clinician.email);
    const officer = await session(users.officer.email);
    expect(
      (
        await t.app.inject({ url: '/api/admin/staff', headers: { cookie: clinician.cookie } })
      ).json(),
    ).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    const staff = await t.app.inject({
      url: '/api/admin/staff',
      headers: { cookie: officer.cookie },
    });
    expect(staff.statusCode).toBe(200);
    expect(JSON.stringify(staff.json())).not.toContain('argon2');
    expect(staff.json<{ staff: { email: string; mfaEnrolled: boolean }[] }>().staff).toContainEqual(
      expect.objectContaining({ email: users.clinician.email, mfaEnrolled: false }),
    );
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/admin/staff/${users.clinician.id}/unlock`,
      headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
    });
    expect(unlock.statusCode).toBe(403);
    const log = await t.app.inject({
      url: '/api/security/sign-in-events?limit=5',
      headers: { cookie: officer.cookie },
    });
    expect(log.json<{ events: unknown[] }>().events).toHaveLength(5);
  });

  it('upgrades a weaker password hash at the next sign-in', async () => {
    const weak = await hashPassword(PASSWORD, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await t.ctx.store.db
      .update(staffUser)
      .set({ passwordHash: weak })
      .where(eq(staffUser.id, users.officer.id));
    expect((await signIn(users.officer.email, PASSWORD)).statusCode).toBe(200);
    const [row] = await t.ctx.store.db
      .select()
      .from(staffUser)
      .where(eq(staffUser.id, users.officer.id));
    expect(row?.passwordHash).toMatch(/\$m=19456,t=2,p=1\$/);
  });

  it('handles very long passwords and refuses bad input with a clear 4xx', async () => {
    expect((await signIn(users.clinician.email, 'x'.repeat(4096))).statusCode).toBe(401);
    const tooLong = await signIn(users.clinician.email, 'x'.repeat(4097));
    expect(tooLong.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    const notEmail = await signIn('not-an-email', PASSWORD);
    expect(notEmail.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
      'body.email',
    );
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: JSON.stringify({ email: users.clinician.email, password: 'x'.repeat(1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.json()).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('asks for the password again before a sensitive action once sign-in is 5 minutes old', async () => {
    const admin = await session(users.admin.email);
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const unlock = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/admin/staff/${users.clinician.id}/unlock`,
        headers,
      });
    expect((await unlock()).statusCode).toBe(204);
    clock = new Date(clock.getTime() + 6 * MINUTE);
    expect((await unlock()).json()).toMatchObject({
      status: 401,
      code: 'reauthentication_required',
    });
    const reauth = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/reauthenticate',
        headers,
        payload: { password },
      });
    expect((await reauth('not my password at all')).json()).toMatchObject({
      code: 'invalid_credentials',
    });
    expect((await reauth(PASSWORD)).statusCode).toBe(204);
    expect((await unlock()).statusCode).toBe(204);
    // Other roles are refused for their role, not asked to re-authenticate.
    const officer = await session(users.officer.email);
    clock = new Date(clock.getTime() + 6 * MINUTE);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/admin/staff/${users.clinician.id}/unlock`,
      headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
    });
    expect(refused.json()).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
