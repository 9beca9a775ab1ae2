import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { auditEntryTable as securityEvent } from '../audit/index.js';
import { totpFactor } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const MINUTE = 60_000;

function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error('no cookie set');
  return first.split(';', 1)[0] ?? '';
}

describe.each(storeTargets())("a user's own account and sessions on %s", (target) => {
  let t: TestApp;
  let clock: Date;
  const users: Record<'nurse' | 'desk', { id: string; email: string }> = {} as never;

  beforeAll(async () => {
    // Second factors have their own tests; here every role signs in with the password alone.
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    t.ctx.now = () => clock;
    clock = new Date('2026-11-25T08:00:00Z');
    for (const [key, role] of [
      ['nurse', 'nurse'],
      ['desk', 'front_desk'],
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
  beforeEach(() => {
    clock = new Date(clock.getTime() + 24 * 60 * MINUTE); // each test starts on a fresh day
  });

  async function session(email: string, userAgent = 'test') {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
      headers: { 'user-agent': userAgent },
    });
    expect(res.statusCode).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
  }

  const sessionsSeenBy = async (cookie: string) => {
    const res = await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    return res.json<{ sessions: { current: boolean; userAgent: string }[] }>().sessions;
  };

  const endOthers = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sessions/end-others', headers });

  it('ends every other live session of the user, keeps this one and records it', async () => {
    const stale = await session(users.nurse.email, 'stale');
    clock = new Date(clock.getTime() + 10 * MINUTE);
    const laptop = await session(users.nurse.email, 'laptop');
    const phone = await session(users.nurse.email, 'phone');
    const tablet = await session(users.nurse.email, 'tablet');
    const colleague = await session(users.desk.email);
    clock = new Date(clock.getTime() + 6 * MINUTE); // the first session is now idle too long
    expect((await sessionsSeenBy(laptop.cookie)).map((s) => s.userAgent).sort()).toEqual([
      'laptop',
      'phone',
      'tablet',
    ]);

    const res = await endOthers({ cookie: laptop.cookie, 'x-csrf-token': laptop.csrf });
    expect(res.statusCode).toBe(200);
    // The idle session no longer worked, so it is not counted among those ended now.
    expect(res.json()).toEqual({ revoked: 2 });
    expect(await sessionsSeenBy(laptop.cookie)).toEqual([
      expect.objectContaining({ current: true, userAgent: 'laptop' }),
    ]);
    for (const ended of [phone, tablet, stale]) {
      const refused = await t.app.inject({
        url: '/api/auth/sessions',
        headers: { cookie: ended.cookie },
      });
      expect(refused.statusCode).toBe(401);
    }
    expect(await sessionsSeenBy(colleague.cookie)).toHaveLength(1);

    const recorded = await t.ctx.store.db
      .select()
      .from(securityEvent)
      .where(
        and(
          eq(securityEvent.action, 'session_revoked'),
          eq(securityEvent.subjectUserId, users.nurse.id),
        ),
      );
    expect(recorded).toEqual([
      expect.objectContaining({ at: clock, address: '127.0.0.1', detail: { count: 2 } }),
    ]);

    // Nothing left to end: the answer says so and nothing more is recorded.
    const again = await endOthers({ cookie: laptop.cookie, 'x-csrf-token': laptop.csrf });
    expect(again.json()).toEqual({ revoked: 0 });
    const after = await t.ctx.store.db
      .select()
      .from(securityEvent)
      .where(
        and(
          eq(securityEvent.action, 'session_revoked'),
          eq(securityEvent.subjectUserId, users.nurse.id),
        ),
      );
    expect(after).toHaveLength(1);
  });

  it('needs a live session and its anti-forgery token to end other sessions', async () => {
    const laptop = await session(users.nurse.email);
    const phone = await session(users.nurse.email);
    expect((await endOthers({})).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await endOthers({ cookie: laptop.cookie })).json()).toMatchObject({
      status: 403,
      code: 'csrf_failed',
    });
    expect(
      (await endOthers({ cookie: laptop.cookie, 'x-csrf-token': phone.csrf })).statusCode,
    ).toBe(403);
    expect(await sessionsSeenBy(phone.cookie)).not.toHaveLength(0);
  });

  it("shows the user's own account with whether an authenticator app is set up", async () => {
    const desk = await session(users.desk.email);
    const account = () =>
      t.app.inject({ url: '/api/auth/account', headers: { cookie: desk.cookie } });
    expect((await account()).json()).toEqual({
      id: users.desk.id,
      displayName: 'Test desk',
      email: users.desk.email,
      role: 'front_desk',
      mfaEnrolled: false,
      authenticatorApp: false,
    });
    // Enrolment has its own tests; the account only reports a confirmed factor.
    await t.ctx.store.db.insert(totpFactor).values({ userId: users.desk.id, secret: 'unused' });
    expect((await account()).json()).toMatchObject({ mfaEnrolled: false, authenticatorApp: false });
    await t.ctx.store.db
      .update(totpFactor)
      .set({ confirmedAt: clock })
      .where(eq(totpFactor.userId, users.desk.id));
    expect((await account()).json()).toMatchObject({ mfaEnrolled: true, authenticatorApp: true });
    expect((await t.app.inject({ url: '/api/auth/account' })).statusCode).toBe(401);
  });
});
