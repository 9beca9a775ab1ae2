import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { cookieOf, verificationOf } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { authenticatorCode as totpCode } from '../test-support/totp.js';
import { signInThrottle, staffUser, totpFactor } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';

interface Signed {
  cookie: string;
  csrf: string;
  stage: string;
}

describe.each(storeTargets())('second factor (TOTP and recovery codes) on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(target);
    t.ctx.now = () => clock;
    clock = new Date('2026-11-25T08:00:10Z');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    await t.ctx.store.db.delete(signInThrottle);
  });

  async function newUser(role: 'clinician' | 'front_desk' = 'clinician') {
    const email = `user${++n}@clinic.example`;
    const user = await createStaffUser(t.ctx.store.db, { email, displayName: `User ${n}`, role });
    await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
    return { id: user.id, email };
  }

  async function signIn(email: string): Promise<Signed> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ csrfToken: string; stage: string }>();
    return { cookie: cookieOf(res), csrf: body.csrfToken, stage: body.stage };
  }

  const post = (s: Signed, url: string, payload?: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      ...(payload ? { payload } : {}),
    });

  async function enrol(email: string) {
    const first = await signIn(email);
    const start = await post(first, '/api/auth/mfa/totp/enrolment');
    const { secret } = start.json<{ secret: string }>();
    const confirm = await post(first, '/api/auth/mfa/totp/enrolment/confirm', {
      code: totpCode(secret, clock),
    });
    expect(confirm.statusCode).toBe(200);
    return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }

  it('makes a clinician enrol an authenticator at first sign-in before anything else', async () => {
    const user = await newUser();
    const first = await signIn(user.email);
    expect(first.stage).toBe('mfa_enrolment');
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: first.cookie } })).json(),
    ).toMatchObject({
      status: 403,
      code: 'mfa_required',
    });

    const start = await post(first, '/api/auth/mfa/totp/enrolment');
    expect(start.statusCode).toBe(200);
    const enrolment = start.json<{ secret: string; otpauthUri: string; qrSvg: string }>();
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUri).toContain(`secret=${enrolment.secret}`);
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    const [stored] = await t.ctx.store.db
      .select()
      .from(totpFactor)
      .where(eq(totpFactor.userId, user.id));
    expect(stored?.secret).not.toContain(enrolment.secret);

    const wrong = await post(first, '/api/auth/mfa/totp/enrolment/confirm', { code: '000000' });
    expect(wrong.json()).toMatchObject({ status: 401, code: 'mfa_code_invalid' });
    const confirm = await post(first, '/api/auth/mfa/totp/enrolment/confirm', {
      code: totpCode(enrolment.secret, clock),
    });
    expect(confirm.statusCode).toBe(200);
    const body = confirm.json<{
      recoveryCodes: string[];
      session: { stage: string; csrfToken: string };
    }>();
    expect(body.recoveryCodes).toHaveLength(10);
    expect(body.session.stage).toBe('full');

    // The session id changed with the privilege: the old cookie is dead, the new one works.
    const promoted = cookieOf(confirm);
    expect(promoted).not.toBe(first.cookie);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: first.cookie } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: promoted } })).statusCode,
    ).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp/enrolment',
      headers: { cookie: promoted, 'x-csrf-token': body.session.csrfToken },
    });
    expect(again.json()).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('asks for a current code at every later sign-in and never accepts a code twice', async () => {
    const user = await newUser();
    const { secret } = await enrol(user.email);
    const next = await signIn(user.email);
    expect(next.stage).toBe('mfa_pending');
    expect((await post(next, '/api/auth/mfa/totp/enrolment')).json()).toMatchObject({
      code: 'mfa_required',
    });

    // The enrolment code of this same time step was used already.
    const replay = await post(next, '/api/auth/mfa/verify', { code: totpCode(secret, clock) });
    expect(replay.json()).toMatchObject({ status: 401, code: 'mfa_code_invalid' });
    clock = new Date(clock.getTime() + 30_000);
    const verified = await post(next, '/api/auth/mfa/verify', { code: totpCode(secret, clock) });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ stage: 'full' });
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: cookieOf(verified) } }))
        .statusCode,
    ).toBe(200);
    // What the consult room shows of how this person signed in.
    expect(await verificationOf(t.ctx.store.db, next.cookie)).toBe('staff_password');
    expect(await verificationOf(t.ctx.store.db, cookieOf(verified))).toBe(
      'staff_password_and_second_factor',
    );
  });

  it('accepts each recovery code once, in any case and with or without dashes', async () => {
    const user = await newUser();
    const { recoveryCodes } = await enrol(user.email);
    const code = recoveryCodes[3] ?? '';
    const first = await signIn(user.email);
    const ok = await post(first, '/api/auth/mfa/verify', {
      code: code.toUpperCase().replaceAll('-', ''),
    });
    expect(ok.statusCode).toBe(200);
    expect(await verificationOf(t.ctx.store.db, cookieOf(ok))).toBe(
      'staff_password_and_second_factor',
    );
    const second = await signIn(user.email);
    expect((await post(second, '/api/auth/mfa/verify', { code })).json()).toMatchObject({
      code: 'mfa_code_invalid',
    });
  });

  it('counts wrong codes towards the account back-off', async () => {
    const user = await newUser();
    await enrol(user.email);
    const pending = await signIn(user.email);
    for (let i = 0; i < 5; i++) {
      expect((await post(pending, '/api/auth/mfa/verify', { code: '123456' })).statusCode).toBe(
        401,
      );
    }
    const throttled = await post(pending, '/api/auth/mfa/verify', { code: '123456' });
    expect(throttled.json()).toMatchObject({ status: 429, code: 'sign_in_throttled' });
    const [row] = await t.ctx.store.db.select().from(staffUser).where(eq(staffUser.id, user.id));
    expect(row?.failedSignIns).toBe(5);
  });

  it('lets roles outside the MFA policy in with the password, and refuses malformed codes', async () => {
    const desk = await newUser('front_desk');
    const session = await signIn(desk.email);
    expect(session.stage).toBe('full');
    expect(await verificationOf(t.ctx.store.db, session.cookie)).toBe('staff_password');
    const user = await newUser();
    const pending = await signIn(user.email);
    const bad = await post(pending, '/api/auth/mfa/totp/enrolment/confirm', { code: '12' });
    expect(bad.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    const extra = await post(pending, '/api/auth/mfa/totp/enrolment/confirm', {
      code: '123456',
      remember: true,
    });
    expect(extra.json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('asks for the authenticator code too when re-authenticating', async () => {
    const user = await newUser();
    const { secret } = await enrol(user.email);
    const pending = await signIn(user.email);
    clock = new Date(clock.getTime() + 30_000);
    const full = await post(pending, '/api/auth/mfa/verify', { code: totpCode(secret, clock) });
    const session = {
      cookie: cookieOf(full),
      csrf: full.json<{ csrfToken: string }>().csrfToken,
      stage: 'full',
    };
    const withoutCode = await post(session, '/api/auth/reauthenticate', { password: PASSWORD });
    expect(withoutCode.json()).toMatchObject({ status: 401, code: 'mfa_code_invalid' });
    clock = new Date(clock.getTime() + 30_000);
    const withCode = await post(session, '/api/auth/reauthenticate', {
      password: PASSWORD,
      code: totpCode(secret, clock),
    });
    expect(withCode.statusCode).toBe(204);
  });
});
