import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { AccessHistory } from '@safeconsult/protocol';
import { appendAuditEntries, auditEntryTable as ledger } from '../audit/index.js';
import { DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD, seedDemoClinic } from '../demo/index.js';
import { listMessages } from '../outbox/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import {
  asSession,
  cookieOf,
  heldSession,
  type HeldSession,
} from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';

const MARIA = DEMO_PATIENTS[0]!.patient;
const DANIEL = DEMO_PATIENTS[1]!.patient;
const staff = (prefix: string) => DEMO_STAFF.find((s) => s.email.startsWith(prefix))!;

describe.each(storeTargets())('who has looked at a patient’s record, on %s', (target) => {
  let t: TestApp;
  let patient: HeldSession;

  async function signIn(prefix: string): Promise<HeldSession> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: staff(prefix).email, password: DEMO_STAFF_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return heldSession(res);
  }

  /** Joins by the newest link the outbox holds for `recipient`, as the person would. */
  async function join(recipient: string, birthDate?: string): Promise<HeldSession> {
    const messages = await listMessages(t.ctx.store.db, t.ctx.fields, 50);
    const body = messages.find((m) => m.recipient === recipient)?.body ?? '';
    const token = /\/join#token=([\w-]+)/.exec(body)?.[1];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/join',
      payload: { token, ...(birthDate ? { birthDate } : {}) },
    });
    expect(res.statusCode).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
  }

  const history = (who: HeldSession, url = '/api/consult/access-history') =>
    asSession(t.app, who, 'GET', url);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    const okafor = await signIn('amara.');
    for (const section of ['problems', 'allergies', 'problems']) {
      const read = await asSession(
        t.app,
        okafor,
        'GET',
        `/api/patients/${MARIA.id!}/sections/${section}`,
      );
      expect(read.statusCode).toBe(200);
    }
    patient = await join('maria.schneider@mail.example', MARIA.birthDate);
  });
  afterAll(() => t.close());

  it('shows the patient a clinician’s reads with name, role, sections and reason', async () => {
    const res = await history(patient);
    expect(res.statusCode).toBe(200);
    const { lines, timeZone, nextBefore } = res.json<AccessHistory>();
    expect(timeZone).toBe('Europe/Berlin');
    expect(nextBefore).toBeNull();
    const okafor = lines.find((l) => l.staff.id === staff('amara.').id);
    expect(okafor).toMatchObject({
      staff: { displayName: 'Dr. Amara Okafor', role: 'clinician' },
      activities: [
        { action: 'readRecord', section: 'problems', count: 2 },
        { action: 'readRecord', section: 'allergies', count: 1 },
      ],
    });
    // On Maria's care team in the demo, and her consult is today.
    expect(okafor!.reasons).toContain('care_team');
    expect(Date.parse(okafor!.firstAt)).toBeLessThanOrEqual(Date.parse(okafor!.lastAt));
  });

  it('lists staff only: the patient’s own reads of the list are recorded but not shown', async () => {
    await history(patient);
    const { lines } = (await history(patient)).json<AccessHistory>();
    expect(lines.every((l) => DEMO_STAFF.some((s) => s.id === l.staff.id))).toBe(true);
    const ownReads = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.action, 'viewAccessHistory'), eq(ledger.actorType, 'participant')));
    expect(ownReads.length).toBeGreaterThanOrEqual(3);
    expect(ownReads[0]).toMatchObject({
      outcome: 'allowed',
      patientId: MARIA.id,
      actorRole: 'patient',
      policies: ['patient-own-access-history'],
    });
  });

  it('records the patient joining as a consult event under the patient and appointment', async () => {
    const [joined] = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.category, 'consult'), eq(ledger.action, 'participant_joined')));
    expect(joined).toMatchObject({
      outcome: 'succeeded',
      actorType: 'participant',
      actorRole: 'patient',
      patientId: MARIA.id,
      resource: { type: 'Appointment' },
    });
    const appointment = joined!.resource as { id: string };
    expect(joined!.detail).toEqual({ appointmentId: appointment.id });
  });

  it('refuses a companion, and records the refusal', async () => {
    const desk = await signIn('sam.');
    const appointments = await asSession(
      t.app,
      desk,
      'GET',
      `/api/patients/${MARIA.id!}/sections/scheduling`,
    );
    const appointmentId = appointments.json<{ items: { id: string }[] }>().items[0]!.id;
    const invited = await asSession(
      t.app,
      desk,
      'POST',
      `/api/appointments/${appointmentId}/companions`,
      {
        name: 'Jana Novak',
        relationship: 'interpreter',
        email: 'jana.novak@interpreters.example',
      },
    );
    expect(invited.statusCode).toBe(204);
    const companion = await join('jana.novak@interpreters.example');
    const res = await history(companion);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
    const [refused] = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.action, 'viewAccessHistory'), eq(ledger.outcome, 'refused')));
    expect(refused).toMatchObject({ actorRole: 'companion', patientId: MARIA.id });
  });

  it('counts days in the clinic’s zone, pages by 30 days, and names staff who have left', async () => {
    const becker = staff('jonas.');
    const former = '00000000-0000-4000-8000-0000000000ff';
    const read = (at: string, actor: { id: string; label?: string }, policies: string[]) => ({
      at: new Date(at),
      category: 'access' as const,
      action: 'readRecord',
      outcome: 'allowed' as const,
      actor: { type: 'staff' as const, role: 'clinician', ...actor },
      patientId: DANIEL.id!,
      resource: {
        type: 'RecordSection' as const,
        patientId: DANIEL.id!,
        section: 'problems' as const,
      },
      policies,
    });
    await appendAuditEntries(t.ctx.store.db, [
      // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin: one day with the next morning's read.
      read('2026-03-01T23:30:00Z', { id: becker.id }, ['care-team']),
      read('2026-03-02T08:00:00Z', { id: becker.id }, ['emergency-access']),
      read('2026-03-01T12:00:00Z', { id: former, label: 'Dr. Former' }, ['consult-window']),
      ...Array.from({ length: 30 }, (_, i) =>
        read(`2026-04-${String(i + 1).padStart(2, '0')}T10:00:00Z`, { id: becker.id }, [
          'care-team',
        ]),
      ),
    ]);
    const url = `/api/access/patients/${DANIEL.id!}/access-history`;
    const officer = await signIn('priya.');
    const first = (await history(officer, url)).json<AccessHistory>();
    expect(new Set(first.lines.map((l) => l.day)).size).toBe(30);
    expect(first.lines[0]!.day > first.lines.at(-1)!.day).toBe(true);
    expect(first.nextBefore).toBe(first.lines.at(-1)!.day);
    const older = (
      await history(officer, `${url}?before=${first.nextBefore!}`)
    ).json<AccessHistory>();
    expect(older.nextBefore).toBeNull();
    const march = older.lines.filter((l) => l.day.startsWith('2026-03'));
    expect(march.map((l) => [l.day, l.staff.displayName, l.reasons])).toEqual([
      ['2026-03-02', 'Dr. Jonas Becker', ['care_team', 'emergency']],
      ['2026-03-01', 'Dr. Former', ['consult']],
    ]);
    expect(march[0]).toMatchObject({
      firstAt: '2026-03-01T23:30:00.000Z',
      lastAt: '2026-03-02T08:00:00.000Z',
      activities: [{ action: 'readRecord', section: 'problems', count: 2 }],
    });
  });

  it('gives the security officer the same history for a chosen patient, and no one else', async () => {
    const url = `/api/access/patients/${MARIA.id!}/access-history`;
    const officer = await history(await signIn('priya.'), url);
    expect(officer.statusCode).toBe(200);
    expect(officer.json<AccessHistory>().lines.map((l) => l.staff.displayName)).toContain(
      'Dr. Amara Okafor',
    );
    expect((await history(await signIn('jonas.'), url)).statusCode).toBe(403);
    // A patient's session is no staff session.
    expect((await history(patient, url)).statusCode).toBe(401);
    expect(
      (
        await history(
          await signIn('priya.'),
          '/api/access/patients/00000000-0000-4000-8000-000000000000/access-history',
        )
      ).statusCode,
    ).toBe(404);
  });
});
