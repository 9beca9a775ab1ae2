import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '@safeconsult/protocol';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { staffUser } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const at = (time: string) => new Date(`2026-11-25T${time}Z`);

describe.each(storeTargets())('the sign-in events a security officer reads on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let officerCookie: string;
  let clinicianCookie: string;
  const users: Record<'officer' | 'ana' | 'ben', { id: string; email: string }> = {} as never;

  const signIn = async (email: string, password: string, when: string) => {
    clock = at(when);
    return t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password },
    });
  };

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    t.ctx.now = () => clock;
    clock = at('07:00:00');
    for (const [key, role] of [
      ['officer', 'security_officer'],
      ['ana', 'clinician'],
      ['ben', 'nurse'],
    ] as const) {
      const email = `${key}@clinic.example`;
      const user = await createStaffUser(t.ctx.store.db, { email, displayName: `${key}`, role });
      await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
      users[key] = { id: user.id, email };
    }
    // One morning of sign-ins, an hour apart.
    await signIn(users.ana.email, PASSWORD, '08:00:00');
    await signIn(users.ana.email, 'not her password', '09:00:00');
    await signIn('nobody@clinic.example', PASSWORD, '10:00:00');
    await t.ctx.store.db
      .update(staffUser)
      .set({ failedSignIns: 99 })
      .where(eq(staffUser.id, users.ben.id));
    await signIn(users.ben.email, 'not his password', '11:00:00');
    const clinician = await signIn(users.ana.email, PASSWORD, '12:00:00');
    clinicianCookie = String(clinician.headers['set-cookie']).split(';', 1)[0] ?? '';
    const officer = await signIn(users.officer.email, PASSWORD, '12:00:00');
    officerCookie = String(officer.headers['set-cookie']).split(';', 1)[0] ?? '';
  });
  afterAll(() => t.close());

  const query = (search: string, cookie = officerCookie) =>
    t.app.inject({ url: `/api/security/sign-in-events${search}`, headers: { cookie } });

  async function events(search: string): Promise<SecurityEvent[]> {
    const res = await query(search);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ events: SecurityEvent[] }>().events;
  }

  const summary = (list: SecurityEvent[]) =>
    list.map((e) => `${e.at.slice(11, 16)} ${e.type} ${e.user?.displayName ?? '-'}`);

  it('lists events newest first, with the name and e-mail of the account', async () => {
    const list = await events('?since=2026-11-25T08:00:00Z');
    expect(summary(list)).toEqual([
      '12:00 signed_in officer',
      '12:00 signed_in ana',
      '11:00 account_locked ben',
      '11:00 sign_in_failed ben',
      '10:00 sign_in_failed -',
      '09:00 sign_in_failed ana',
      '08:00 signed_in ana',
    ]);
    expect(list[0]).toMatchObject({
      userId: users.officer.id,
      user: { displayName: 'officer', email: users.officer.email },
      address: '127.0.0.1',
    });
    expect(list.find((e) => e.at.startsWith('2026-11-25T10'))).toMatchObject({
      userId: null,
      user: null,
      detail: { reason: 'no_usable_account' },
    });
  });

  it('filters by one type or several', async () => {
    expect(summary(await events('?type=sign_in_failed'))).toEqual([
      '11:00 sign_in_failed ben',
      '10:00 sign_in_failed -',
      '09:00 sign_in_failed ana',
    ]);
    expect(summary(await events('?type=account_locked&type=sign_in_throttled'))).toEqual([
      '11:00 account_locked ben',
    ]);
  });

  it('filters by account, and combines filters', async () => {
    expect(summary(await events(`?userId=${users.ben.id}`))).toEqual([
      '11:00 account_locked ben',
      '11:00 sign_in_failed ben',
    ]);
    expect(summary(await events(`?userId=${users.ana.id}&type=signed_in&limit=1`))).toEqual([
      '12:00 signed_in ana',
    ]);
  });

  it('filters by time: since inclusive, until exclusive, in any offset', async () => {
    expect(summary(await events('?since=2026-11-25T09:00:00Z&until=2026-11-25T11:00:00Z'))).toEqual(
      ['10:00 sign_in_failed -', '09:00 sign_in_failed ana'],
    );
    // 11:30 in Berlin (UTC+1 in November) is 10:30 UTC.
    expect(
      summary(await events(`?until=${encodeURIComponent('2026-11-25T11:30:00+01:00')}`)).slice(
        0,
        1,
      ),
    ).toEqual(['10:00 sign_in_failed -']);
  });

  it('refuses a bad filter with a 400 that names the parameter', async () => {
    const cases: [string, string, RegExp][] = [
      ['?type=password_guessed', 'querystring.type', /must be one of signed_in, sign_in_failed/],
      ['?type=signed_in&type=nonsense', 'querystring.type', /must be one of/],
      ['?since=yesterday', 'querystring.since', /ISO 8601 time with its offset/],
      ['?until=2026-13-01T00:00:00Z', 'querystring.until', /ISO 8601/],
      ['?since=2026-11-25T12:00:00', 'querystring.since', /with its offset/], // which zone?
      [
        '?since=2026-11-25T12:00:00Z&until=2026-11-25T08:00:00Z',
        'querystring.until',
        /until must be later than since/,
      ],
      ['?userId=ben', 'querystring.userId', /UUID/],
      ['?limit=0', 'querystring.limit', /1/],
    ];
    for (const [search, path, message] of cases) {
      const res = await query(search);
      expect(res.statusCode, search).toBe(400);
      const problem = res.json<{ code: string; errors: { path: string; message: string }[] }>();
      expect(problem.code, search).toBe('validation_failed');
      expect(problem.errors.find((e) => e.path === path)?.message, search).toMatch(message);
    }
    const unknown = await query('?user=ben');
    expect(unknown.json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('is for the security officer only', async () => {
    expect((await query('', clinicianCookie)).json()).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect((await query('', '')).statusCode).toBe(401);
  });
});
