import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { AuditAlert } from '@safeconsult/protocol';
import { DEMO_PATIENTS, seedDemoClinic } from '../../demo/index.js';
import { listMessages } from '../../outbox/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { withClockAt } from '../../test-support/clock.js';
import { demoStaff, readSections, signInDemo } from '../../test-support/demo-sessions.js';
import { asSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { appendAuditEntries, auditEntryTable, evaluateAlerts } from '../index.js';

const [MARIA, DANIEL, LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const CLINICAL = ['problems', 'allergies', 'medications', 'observations', 'clinical_notes'];

describe.each(storeTargets())('alert rules over the ledger on %s', (target) => {
  let t: TestApp;

  const reads = (who: string, asked: [string, string][]) => readSections(t.app, who, asked);
  const at = <T>(iso: string, act: () => Promise<T>) => withClockAt(t.ctx, iso, act);
  const alertsOf = async (rule: AuditAlert['rule'], who: string) => {
    const res = await asSession(
      t.app,
      await signInDemo(t.app, 'priya.'),
      'GET',
      '/api/audit/alerts',
    );
    expect(res.statusCode).toBe(200);
    return res
      .json<{ alerts: AuditAlert[] }>()
      .alerts.filter((a) => a.rule === rule && a.actorId === demoStaff(who).id);
  };
  /** Evaluates twice: the second run must raise nothing the first did not. */
  async function evaluateTwice(now = new Date()) {
    const first = await evaluateAlerts(t.ctx, now);
    expect(await evaluateAlerts(t.ctx, new Date(now.getTime() + 60_000))).toBe(0);
    return first;
  }

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
  });
  afterAll(() => t.close());

  it('raises once when someone reaches three patients without a care relationship, not for two', async () => {
    // An administrator is refused clinical content by policy 'no-clinical-outside-care'.
    expect(
      await reads(
        'alex.',
        [MARIA, DANIEL, LENA].map((p) => [p, 'problems']),
      ),
    ).toEqual([404, 404, 404]);
    expect(
      await reads('sam.', [
        [MARIA, 'problems'],
        [DANIEL, 'allergies'],
        [DANIEL, 'problems'],
      ]),
    ).toEqual([404, 404, 404]);
    await evaluateTwice();
    const [alert, ...more] = await alertsOf('patients_outside_care', 'alex.');
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      status: 'open',
      actorName: 'Alex Morgan',
      pattern: { count: 3, threshold: 3, windowMinutes: 1440 },
    });
    expect(alert!.entryIds).toHaveLength(3);
    expect(await alertsOf('patients_outside_care', 'sam.')).toEqual([]);
  });

  it('raises once for each emergency access, and tells the security officers without patient data', async () => {
    const amara = await signInDemo(t.app, 'amara.');
    const granted = await asSession(
      t.app,
      amara,
      'POST',
      `/api/patients/${LENA}/emergency-access`,
      {
        reason: 'Unconscious at the front door; need allergies now.',
      },
    );
    expect(granted.statusCode).toBe(201);
    // Reads by the care team are no emergency. (Dr. Becker reads only at set times in this file,
    // so that the out-of-hours test below does not depend on the hour it runs at.)
    expect(await reads('tomasz.', [[LENA, 'problems']])).toEqual([200]);
    const before = (await listMessages(t.ctx.store.db, t.ctx.fields, 200)).length;
    expect(await evaluateTwice()).toBeGreaterThanOrEqual(1);
    const [alert, ...more] = await alertsOf('emergency_access', 'amara.');
    expect(more).toEqual([]);
    expect(alert!.entryIds).toHaveLength(1);
    expect(await alertsOf('emergency_access', 'tomasz.')).toEqual([]);
    // Raised once, by SafeConsult, about the clinician: in the ledger as well as the alert list.
    const raisedEntries = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(eq(auditEntryTable.action, 'audit_alert_raised'));
    expect(raisedEntries.filter((e) => e.detail?.alertId === alert!.id)).toEqual([
      expect.objectContaining({
        category: 'security',
        actorType: 'system',
        actorId: null,
        subjectUserId: demoStaff('amara.').id,
        patientId: null,
        detail: { alertId: alert!.id, rule: 'emergency_access' },
      }),
    ]);

    const messages = await listMessages(t.ctx.store.db, t.ctx.fields, 200);
    const sent = messages.slice(0, messages.length - before);
    const mine = sent.filter((m) => m.subject === 'Audit alert: review needed');
    expect(mine.map((m) => m.recipient)).toContain(demoStaff('priya.').email);
    for (const m of mine) {
      expect(m.body).toContain('/admin/alerts');
      expect(m.body).not.toContain(LENA);
      expect(m.body).not.toMatch(/Lena|Fischer|Okafor/);
    }
  });

  it('raises once per night for reads outside working hours, and gathers the night’s later reads', async () => {
    // Saturday 21 November 2026, 03:00 in Berlin (the demo clinic's zone).
    const night = '2026-11-21T02:00:00Z';
    const late = '2026-11-21T03:30:00Z';
    const weekday = '2026-11-18T09:00:00Z'; // Wednesday, 10:00 in Berlin
    await at(weekday, () => reads('jonas.', [[DANIEL, 'problems']]));
    await at(night, () =>
      reads('jonas.', [
        [DANIEL, 'problems'],
        [DANIEL, 'allergies'],
      ]),
    );
    await evaluateTwice(new Date('2026-11-21T02:01:00Z'));
    const [alert, ...more] = await alertsOf('out_of_hours_reads', 'jonas.');
    expect(more).toEqual([]);
    expect(alert!.pattern).toMatchObject({
      count: 2,
      workingHours: '07:00-19:00',
      workingDays: '1,2,3,4,5',
      timeZone: 'Europe/Berlin',
    });

    await at(late, () => reads('jonas.', [[DANIEL, 'medications']]));
    expect(await evaluateAlerts(t.ctx, new Date('2026-11-21T03:31:00Z'))).toBe(0);
    const [grown, ...still] = await alertsOf('out_of_hours_reads', 'jonas.');
    expect(still).toEqual([]);
    expect(grown!.id).toBe(alert!.id);
    expect(grown!.pattern.count).toBe(3);
    const entries = await t.ctx.store.db
      .select({ id: auditEntryTable.id, at: auditEntryTable.at })
      .from(auditEntryTable)
      .where(
        and(
          eq(auditEntryTable.actorId, demoStaff('jonas.').id),
          eq(auditEntryTable.action, 'readRecord'),
        ),
      );
    const daytime = entries.filter((e) => e.at.toISOString() === '2026-11-18T09:00:00.000Z');
    expect(daytime).toHaveLength(1);
    expect(grown!.entryIds).not.toContain(daytime[0]!.id);
    expect(grown!.entryIds).toHaveLength(3);
  });

  it('raises once for a bulk export, not for a small one', async () => {
    const exportBy = (who: string, count: number) => ({
      at: new Date(),
      category: 'export' as const,
      action: 'exportRecords',
      outcome: 'succeeded' as const,
      actor: { type: 'staff' as const, id: demoStaff(who).id, role: demoStaff(who).role },
      detail: { count },
    });
    await appendAuditEntries(t.ctx.store.db, [exportBy('tomasz.', 60), exportBy('leah.', 10)]);
    await evaluateTwice();
    const [alert, ...more] = await alertsOf('bulk_export', 'tomasz.');
    expect(more).toEqual([]);
    expect(alert!.pattern).toMatchObject({ count: 60, threshold: 50 });
    expect(await alertsOf('bulk_export', 'leah.')).toEqual([]);
  });

  it('raises once for five refusals within 15 minutes, not for four', async () => {
    const sections = (patientId: string, n: number) =>
      CLINICAL.slice(0, n).map((s): [string, string] => [patientId, s]);
    expect(await reads('leah.', sections(MARIA, 5))).toEqual([404, 404, 404, 404, 404]);
    await evaluateTwice();
    const [alert, ...more] = await alertsOf('repeated_refusals', 'leah.');
    expect(more).toEqual([]);
    expect(alert!.pattern).toMatchObject({ count: 5, threshold: 5, windowMinutes: 15 });
    // Sam's three refusals above, and one more, make four.
    expect(await reads('sam.', sections(LENA, 1))).toEqual([404]);
    await evaluateTwice();
    expect(await alertsOf('repeated_refusals', 'sam.')).toEqual([]);
    // Five refusals on one patient are not several patients.
    expect(await alertsOf('patients_outside_care', 'leah.')).toEqual([]);
  });

  it('lets the security officer dismiss an alert once, recorded in the ledger; others are refused', async () => {
    const [alert] = await alertsOf('repeated_refusals', 'leah.');
    for (const who of ['alex.', 'jonas.']) {
      const session = await signInDemo(t.app, who);
      expect((await asSession(t.app, session, 'GET', '/api/audit/alerts')).statusCode).toBe(403);
      const dismiss = await asSession(
        t.app,
        session,
        'POST',
        `/api/audit/alerts/${alert!.id}/dismiss`,
      );
      expect(dismiss.statusCode, who).toBe(403);
    }
    const officer = await signInDemo(t.app, 'priya.');
    const url = `/api/audit/alerts/${alert!.id}/dismiss`;
    expect((await asSession(t.app, officer, 'POST', url)).statusCode).toBe(204);
    expect((await asSession(t.app, officer, 'POST', url)).statusCode).toBe(409);
    expect(
      (await asSession(t.app, officer, 'POST', '/api/audit/alerts/999999/dismiss')).statusCode,
    ).toBe(404);
    const [dismissed] = await alertsOf('repeated_refusals', 'leah.');
    expect(dismissed).toMatchObject({
      status: 'dismissed',
      reviewedBy: demoStaff('priya.').id,
      reviewedByName: 'Priya Natarajan',
    });

    const [entry] = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(eq(auditEntryTable.action, 'audit_alert_dismissed'));
    expect(entry).toMatchObject({
      category: 'security',
      actorId: demoStaff('priya.').id,
      subjectUserId: demoStaff('leah.').id,
      detail: { alertId: alert!.id, rule: 'repeated_refusals' },
    });
    // Open alerts come first.
    const res = await asSession(t.app, officer, 'GET', '/api/audit/alerts');
    const statuses = res.json<{ alerts: AuditAlert[] }>().alerts.map((a) => a.status);
    expect(statuses.indexOf('dismissed')).toBeGreaterThan(statuses.lastIndexOf('open'));
  });
});
