import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { DayConsult } from '@safeconsult/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryTable } from '../audit/index.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { listMessages, type StoredMessage } from '../outbox/index.js';
import { readAttachment } from '../outbox/service.js';
import { createPatient } from '../records/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import {
  asSession,
  cookieOf,
  heldSession,
  type HeldSession,
} from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import {
  consultInvitation,
  consultRoom,
  consultRoomParticipant,
  participantSession,
} from './schema.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const BIRTH_DATE = '1968-04-12';
const MARIA = 'maria.schneider@mail.example';
const MOBILE = '+44 7700 900231';

describe.each(storeTargets())('rescheduling and the day view on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let desk: HeldSession;
  let okafor: { id: string; session: HeldSession };
  let berg: { id: string; session: HeldSession };
  let mariaId: string;
  let jonasId: string;
  let household = 0;

  async function staff(role: 'front_desk' | 'clinician', name: string) {
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
    t = await createTestApp(target, {
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: 'https://care.example',
      CLINIC_NAME: 'Riverside Family Practice',
      CLINIC_TIME_ZONE: 'Europe/Berlin',
    });
    clock = new Date('2026-11-25T09:00:00Z');
    // A millisecond per reading, so that messages queued one after another list newest first.
    t.ctx.now = () => (clock = new Date(clock.getTime() + 1));
    desk = (await staff('front_desk', 'Sam')).session;
    okafor = await staff('clinician', 'Okafor');
    berg = await staff('clinician', 'Berg');
    mariaId = await createPatient(t.ctx.store.db, t.ctx.fields, {
      resourceType: 'Patient',
      name: [{ family: 'Schneider', given: ['Maria'] }],
      birthDate: BIRTH_DATE,
      telecom: [
        { system: 'phone', value: MOBILE, use: 'mobile' },
        { system: 'email', value: MARIA },
      ],
    });
    jonasId = await createPatient(t.ctx.store.db, t.ctx.fields, {
      resourceType: 'Patient',
      name: [{ family: 'Weber', given: ['Jonas'] }],
      birthDate: '1990-01-01',
      telecom: [{ system: 'email', value: 'jonas.weber@mail.example' }],
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    household += 1;
  });

  const book = async (patientId: string, clinicianId: string, startsAt: string) => {
    const res = await asSession(t.app, desk, 'POST', '/api/appointments', {
      patientId,
      clinicianId,
      startsAt,
      durationMinutes: 20,
      reason: 'Suspected gout flare',
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  const messagesTo = async (recipient: string): Promise<StoredMessage[]> =>
    (await listMessages(t.ctx.store.db, t.ctx.fields, 200)).filter(
      (m) => m.recipient === recipient,
    );
  const tokenOf = (m: StoredMessage | undefined) =>
    /#token=([\w-]+)/.exec(m?.body ?? '')?.[1] ?? '';
  const join = (token: string, birthDate?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/join',
      payload: { token, ...(birthDate ? { birthDate } : {}) },
      remoteAddress: `203.0.113.${household}`,
    });

  async function calendarOf(m: StoredMessage) {
    const file = await readAttachment(t.ctx.store.db, t.ctx.fields, m.id, 0);
    if (!file) throw new Error('no attachment');
    const text = Buffer.from(file.content, 'base64').toString('utf8');
    const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
    return {
      file,
      text,
      calendar,
      event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!),
    };
  }

  it('moves a consult: old links stop working, everyone gets a new link and calendar entry', async () => {
    const id = await book(mariaId, okafor.id, '2026-11-25T13:00:00Z');
    const [firstMail] = await messagesTo(MARIA);
    const first = await calendarOf(firstMail!);
    expect(first.file).toMatchObject({ filename: 'consult.ics' });
    expect(first.file.contentType).toMatch(/^text\/calendar; charset=utf-8; method=REQUEST$/);
    expect(first.event.sequence).toBe(0);
    expect(first.event.summary).toBe('Video consult with Okafor at Riverside Family Practice');
    expect(first.text).not.toMatch(/gout|Maria|Schneider/);

    // The patient's mobile gets a short text: clinic, time, link; no name, no reason.
    const [sms] = await messagesTo(MOBILE);
    expect(sms).toMatchObject({ channel: 'sms', state: 'stored', subject: '', attachments: [] });
    expect(sms!.body).toMatch(
      /^Riverside Family Practice: video consultation .+ Join: https:\/\/care\.example\/join#token=/,
    );
    expect(sms!.body).not.toMatch(/gout|Maria|Schneider/);

    const companion = await asSession(
      t.app,
      okafor.session,
      'POST',
      `/api/appointments/${id}/companions`,
      {
        name: 'Tomasz Nowak',
        relationship: 'interpreter',
        email: 'tomasz@mail.example',
      },
    );
    expect(companion.statusCode).toBe(204);
    const oldPatientToken = tokenOf(firstMail);
    const oldCompanionToken = tokenOf((await messagesTo('tomasz@mail.example'))[0]);
    const joined = await join(oldPatientToken, BIRTH_DATE);
    expect(joined.statusCode).toBe(200);
    const oldSession = cookieOf(joined);

    const moved = await asSession(
      t.app,
      okafor.session,
      'POST',
      `/api/appointments/${id}/reschedule`,
      {
        startsAt: '2026-11-26T10:15:00+01:00',
        durationMinutes: 30,
      },
    );
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      id,
      startsAt: '2026-11-26T09:15:00.000Z',
      durationMinutes: 30,
    });

    // Earlier links and the joined session no longer work.
    expect((await join(oldCompanionToken)).json()).toMatchObject({ code: 'token_invalid' });
    const me = await t.app.inject({ url: '/api/join/session', headers: { cookie: oldSession } });
    expect(me.json()).toEqual({ session: null });

    // New links for the patient and the companion, with the entry's sequence raised.
    const [newMail] = await messagesTo(MARIA);
    expect(newMail!.id).not.toBe(firstMail!.id);
    expect(newMail!.body).toContain('has moved');
    const moved1 = await calendarOf(newMail!);
    expect(moved1.event.uid).toBe(first.event.uid);
    expect(moved1.event.sequence).toBe(1);
    expect(moved1.event.startDate.toJSDate().toISOString()).toBe('2026-11-26T09:15:00.000Z');
    expect(moved1.event.endDate.toJSDate().toISOString()).toBe('2026-11-26T09:45:00.000Z');
    const [companionMail] = await messagesTo('tomasz@mail.example');
    expect(companionMail!.body).toMatch(/^Hello Tomasz Nowak,/);
    expect((await calendarOf(companionMail!)).event.sequence).toBe(1);
    expect((await messagesTo(MOBILE)).length).toBe(2);

    const patientJoin = await join(tokenOf(newMail), BIRTH_DATE);
    expect(patientJoin.statusCode).toBe(200);
    const companionJoin = await join(tokenOf(companionMail));
    expect(companionJoin.json()).toMatchObject({
      participant: 'companion',
      companionName: 'Tomasz Nowak',
    });

    const entries = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(
        and(
          eq(auditEntryTable.action, 'appointment_rescheduled'),
          eq(auditEntryTable.patientId, mariaId),
        ),
      );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ category: 'consult', actorId: okafor.id });
  });

  it('refuses to move a cancelled consult, and sends a calendar cancellation', async () => {
    const id = await book(jonasId, okafor.id, '2026-11-25T15:00:00Z');
    expect(
      (await asSession(t.app, desk, 'POST', `/api/appointments/${id}/cancel`)).statusCode,
    ).toBe(204);
    const [cancelMail] = await messagesTo('jonas.weber@mail.example');
    expect(cancelMail).toMatchObject({ purpose: 'consult_cancellation' });
    const cancel = await calendarOf(cancelMail!);
    expect(cancel.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.event.sequence).toBe(1);

    const res = await asSession(t.app, desk, 'POST', `/api/appointments/${id}/reschedule`, {
      startsAt: '2026-11-27T10:00:00Z',
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'conflict' });
    // Nothing else went out.
    expect(await messagesTo('jonas.weber@mail.example')).toHaveLength(2);
  });

  it("lists a clinician's day on the clinic's clock with who waits in each room", async () => {
    const late = await book(mariaId, berg.id, '2026-11-25T10:30:00Z');
    const early = await book(jonasId, berg.id, '2026-11-25T09:30:00Z');
    // Far outside the record's window around a consult: its clinician still sees whom it is with.
    const evening = await book(jonasId, berg.id, '2026-11-25T18:00:00Z');
    // 00:30 on the 26th in Berlin: the next day there.
    await book(jonasId, berg.id, '2026-11-25T23:30:00Z');
    await asSession(t.app, berg.session, 'POST', `/api/appointments/${late}/companions`, {
      name: 'Ewa Schneider',
      relationship: 'family',
      email: 'ewa@mail.example',
    });
    const patientJoin = await join(tokenOf((await messagesTo(MARIA))[0]), BIRTH_DATE);
    const companionJoin = await join(tokenOf((await messagesTo('ewa@mail.example'))[0]));
    expect(patientJoin.statusCode).toBe(200);
    expect(companionJoin.statusCode).toBe(200);
    await t.ctx.store.db.insert(consultRoom).values({ appointmentId: late, status: 'open' });
    const patientSession = await sessionOf(late, 'patient');
    const companionSession = await sessionOf(late, 'companion');
    const base = clock.getTime();
    const minutesAgo = (n: number) => new Date(base - n * 60_000);
    await t.ctx.store.db.insert(consultRoomParticipant).values([
      {
        appointmentId: late,
        role: 'clinician',
        staffUserId: berg.id,
        state: 'admitted',
        verifiedBy: 'staff_password_and_second_factor',
        joinedAt: clock,
      },
      {
        appointmentId: late,
        role: 'patient',
        participantSessionId: patientSession,
        state: 'waiting',
        verifiedBy: 'link_and_birth_date',
        joinedAt: minutesAgo(7),
      },
      {
        appointmentId: late,
        role: 'companion',
        participantSessionId: companionSession,
        state: 'waiting',
        verifiedBy: 'link',
        joinedAt: minutesAgo(3),
      },
    ]);

    const day = await asSession(t.app, berg.session, 'GET', '/api/consults/day?date=2026-11-25');
    expect(day.statusCode).toBe(200);
    const { date, consults } = day.json<{ date: string; consults: DayConsult[] }>();
    expect(date).toBe('2026-11-25');
    expect(consults.map((c) => c.appointment.id)).toEqual([early, late, evening]);
    expect(consults[0]).toMatchObject({
      patientName: 'Jonas Weber',
      roomStatus: null,
      waiting: [],
      inRoom: 0,
    });
    expect(consults[1]).toMatchObject({
      patientName: 'Maria Schneider',
      roomStatus: 'open',
      inRoom: 1,
    });
    expect(consults[1]!.waiting).toEqual([
      expect.objectContaining({
        participant: 'patient',
        name: null,
        relationship: null,
        waitingSince: minutesAgo(7).toISOString(),
      }),
      expect.objectContaining({
        participant: 'companion',
        name: 'Ewa Schneider',
        relationship: 'family',
        waitingSince: minutesAgo(3).toISOString(),
      }),
    ]);

    // Today by default, on the clinic's clock; the next day holds the 00:30 consult.
    const today = await asSession(t.app, berg.session, 'GET', '/api/consults/day');
    expect(today.json()).toMatchObject({ date: '2026-11-25' });
    const next = await asSession(
      t.app,
      desk,
      'GET',
      `/api/consults/day?date=2026-11-26&clinicianId=${berg.id}`,
    );
    expect(
      next.json<{ consults: DayConsult[] }>().consults.map((c) => c.appointment.startsAt),
    ).toEqual(['2026-11-25T23:30:00.000Z']);

    // The front desk sees Berg's day; Okafor, with no care relation to Berg's patients, sees none
    // of them, and each patient's refusal is in the ledger.
    const byDesk = await asSession(
      t.app,
      desk,
      'GET',
      `/api/consults/day?date=2026-11-25&clinicianId=${berg.id}`,
    );
    expect(byDesk.json<{ consults: DayConsult[] }>().consults).toHaveLength(3);
    const byOkafor = await asSession(
      t.app,
      okafor.session,
      'GET',
      `/api/consults/day?date=2026-11-25&clinicianId=${berg.id}`,
    );
    expect(byOkafor.statusCode).toBe(200);
    expect(byOkafor.json()).toEqual({ date: '2026-11-25', consults: [] });
    const refused = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(and(eq(auditEntryTable.actorId, okafor.id), eq(auditEntryTable.outcome, 'refused')));
    expect(refused.map((e) => e.patientId).sort()).toEqual(
      expect.arrayContaining([mariaId, jonasId].sort()),
    );
  });

  async function sessionOf(appointmentId: string, kind: 'patient' | 'companion') {
    const [row] = await t.ctx.store.db
      .select({ id: participantSession.id })
      .from(participantSession)
      .innerJoin(consultInvitation, eq(consultInvitation.id, participantSession.invitationId))
      .where(
        and(eq(participantSession.appointmentId, appointmentId), eq(consultInvitation.kind, kind)),
      );
    if (!row) throw new Error(`no ${kind} session`);
    return row.id;
  }
});
