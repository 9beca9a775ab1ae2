import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMessages } from '../outbox/index.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { createPatient } from '../records/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import {
  asSession,
  cookieOf,
  heldSession,
  type HeldSession,
} from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const BIRTH_DATE = '1968-04-12';

describe.each(storeTargets())('patients and companions join by link on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let desk: HeldSession;
  let clinicianId: string;
  let patientId: string;

  async function staff(role: 'front_desk' | 'clinician' | 'admin', name: string) {
    const email = `${name.toLowerCase()}@clinic.example`;
    const user = await createStaffUser(t.ctx.store.db, { email, displayName: name, role });
    await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
    });
    return { id: user.id, session: heldSession(res) };
  }

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    clock = new Date('2026-11-25T09:00:00Z');
    t.ctx.now = () => clock;
    desk = (await staff('front_desk', 'Sam')).session;
    clinicianId = (await staff('clinician', 'Okafor')).id;
    patientId = await createPatient(t.ctx.store.db, t.ctx.fields, {
      resourceType: 'Patient',
      name: [{ family: 'Schneider', given: ['Maria'] }],
      birthDate: BIRTH_DATE,
      telecom: [{ system: 'email', value: 'maria.schneider@mail.example' }],
    });
  });
  afterAll(() => t.close());

  const book = (overrides: Record<string, unknown> = {}) =>
    asSession(t.app, desk, 'POST', '/api/appointments', {
      patientId,
      clinicianId,
      startsAt: new Date(clock.getTime() + 60 * 60_000).toISOString(),
      durationMinutes: 20,
      reason: 'Follow-up on blood pressure',
      ...overrides,
    });

  /** The newest link the outbox holds for a recipient, as the person would receive it. */
  async function linkFor(recipient: string) {
    const messages = await listMessages(t.ctx.store.db, t.ctx.fields, 50);
    const message = messages.find((m) => m.recipient === recipient);
    const token = /\/join#token=([\w-]+)/.exec(message?.body ?? '')?.[1];
    if (!message || !token) throw new Error(`no join link for ${recipient}`);
    return { message, token };
  }

  // Join routes are rate-limited per address; each test is a different household.
  let household = 0;
  let address = '';
  beforeEach(() => {
    address = `192.0.2.${++household}`;
  });
  const post = (url: string, payload: object, cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: address,
      ...(cookie ? { headers: { cookie } } : {}),
    });

  it('books a consult and sends the patient a link that reveals no patient data', async () => {
    const res = await book();
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      patientId,
      clinician: { id: clinicianId, displayName: 'Okafor' },
      durationMinutes: 20,
      status: 'scheduled',
    });
    const { message, token } = await linkFor('maria.schneider@mail.example');
    expect(message.purpose).toBe('consult_invitation');
    expect(message.body).not.toMatch(/Maria|Schneider|1968|blood pressure/);

    const preview = await post('/api/join/inspect', { token });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      clinicName: 'SafeConsult',
      clinicianName: 'Okafor',
      startsAt: '2026-11-25T10:00:00.000Z',
      durationMinutes: 20,
      participant: 'patient',
      companionName: null,
      identityCheck: 'date_of_birth',
    });
  });

  it('exchanges the link for a session after the date of birth, once', async () => {
    await book();
    const { token } = await linkFor('maria.schneider@mail.example');
    const missing = await post('/api/join', { token });
    expect(missing.json()).toMatchObject({ code: 'validation_failed' });
    const wrong = await post('/api/join', { token, birthDate: '1968-12-04' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'identity_check_failed' });
    expect(wrong.json<{ detail: string }>().detail).toContain('4 tries left');

    const joined = await post('/api/join', { token, birthDate: BIRTH_DATE });
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toMatchObject({ participant: 'patient', clinicianName: 'Okafor' });
    const cookie = cookieOf(joined);
    expect(cookie).toMatch(/^safeconsult_participant=/);
    expect(String(joined.headers['set-cookie'])).toMatch(
      /HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/,
    );

    const me = await t.app.inject({ url: '/api/join/session', headers: { cookie } });
    expect(me.json()).toMatchObject({
      session: { appointmentId: joined.json<{ appointmentId: string }>().appointmentId },
    });
    // Single use: the same link does not open a second session.
    expect((await post('/api/join', { token, birthDate: BIRTH_DATE })).json()).toMatchObject({
      code: 'token_invalid',
    });
    // A patient's session is no staff session, and a write needs its anti-forgery token.
    expect(
      (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie } })).statusCode,
    ).toBe(401);
    expect((await post('/api/join/leave', {}, cookie)).json()).toMatchObject({
      code: 'csrf_failed',
    });
    const staffCookie = { cookie: desk.cookie };
    expect((await t.app.inject({ url: '/api/join/session', headers: staffCookie })).json()).toEqual(
      { session: null },
    );
  });

  it('stops a link after five wrong answers', async () => {
    await book();
    const { token } = await linkFor('maria.schneider@mail.example');
    for (let i = 0; i < 4; i++) {
      expect((await post('/api/join', { token, birthDate: '2000-01-01' })).statusCode).toBe(401);
    }
    const fifth = await post('/api/join', { token, birthDate: '2000-01-01' });
    expect(fifth.json()).toMatchObject({ code: 'token_invalid' });
    const right = await post('/api/join', { token, birthDate: BIRTH_DATE });
    expect(right.json()).toMatchObject({ code: 'token_invalid' });
  });

  it('lets a named companion join without the patient’s data, on their own link', async () => {
    const appointment = (await book()).json<{ id: string }>();
    const invited = await asSession(
      t.app,
      desk,
      'POST',
      `/api/appointments/${appointment.id}/companions`,
      {
        name: 'Jana Novak',
        relationship: 'interpreter',
        email: 'jana.novak@interpreters.example',
      },
    );
    expect(invited.statusCode).toBe(204);
    const { message, token } = await linkFor('jana.novak@interpreters.example');
    expect(message.body).toContain('Hello Jana Novak');
    expect((await post('/api/join/inspect', { token })).json()).toMatchObject({
      participant: 'companion',
      companionName: 'Jana Novak',
      identityCheck: 'none',
    });
    const joined = await post('/api/join', { token });
    expect(joined.json()).toMatchObject({ participant: 'companion', companionName: 'Jana Novak' });
  });

  it('ends sessions and links when the consult is cancelled, and when its time is over', async () => {
    const appointment = (await book()).json<{ id: string }>();
    const { token } = await linkFor('maria.schneider@mail.example');
    const joined = await post('/api/join', { token, birthDate: BIRTH_DATE });
    const session = {
      cookie: cookieOf(joined),
      csrf: joined.json<{ csrfToken: string }>().csrfToken,
    };
    const mine = () => asSession(t.app, session, 'GET', '/api/join/session');
    expect((await mine()).json()).toMatchObject({ session: { participant: 'patient' } });
    await asSession(t.app, desk, 'POST', `/api/appointments/${appointment.id}/cancel`);
    expect((await mine()).json()).toEqual({ session: null });
    expect((await asSession(t.app, session, 'POST', '/api/join/leave')).statusCode).toBe(401);

    await book();
    const later = await linkFor('maria.schneider@mail.example');
    const again = await post('/api/join', { token: later.token, birthDate: BIRTH_DATE });
    const cookie = cookieOf(again);
    const saved = clock;
    try {
      // Booked 10:00 for 20 minutes; the session outlasts it by half an hour, then ends.
      const live = async () =>
        (await t.app.inject({ url: '/api/join/session', headers: { cookie } })).json<{
          session: unknown;
        }>().session !== null;
      clock = new Date('2026-11-25T10:49:00Z');
      expect(await live()).toBe(true);
      clock = new Date('2026-11-25T10:51:00Z');
      expect(await live()).toBe(false);
    } finally {
      clock = saved;
    }
  });

  it('refuses bookings that cannot be kept, and roles that do not book', async () => {
    expect((await book({ startsAt: '2026-11-24T09:00:00Z' })).json()).toMatchObject({
      code: 'validation_failed',
    });
    expect((await book({ patientId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(
      404,
    );
    expect((await book({ durationMinutes: 600 })).statusCode).toBe(400);
    expect((await book({ extra: true })).statusCode).toBe(400);
    const admin = (await staff('admin', 'Alex')).session;
    const byAdmin = await asSession(t.app, admin, 'POST', '/api/appointments', {
      patientId,
      clinicianId,
      startsAt: '2026-11-26T09:00:00Z',
      durationMinutes: 20,
    });
    expect(byAdmin.statusCode).toBe(403);
    expect((await post('/api/join/inspect', { token: 'x'.repeat(43) })).json()).toMatchObject({
      code: 'token_invalid',
    });
  });
});
