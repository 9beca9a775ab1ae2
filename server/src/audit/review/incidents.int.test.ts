import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { AuditAlert, IncidentDetail } from '@safeconsult/protocol';
import { DEMO_PATIENTS, DEMO_STAFF_PASSWORD, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { withClockAt } from '../../test-support/clock.js';
import { demoStaff, signInDemo } from '../../test-support/demo-sessions.js';
import { asSession, type HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import {
  auditEntryTable,
  auditIncidentActionTable,
  auditIncidentTable,
  evaluateAlerts,
} from '../index.js';

const [MARIA, DANIEL, LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const HOUR = 3_600_000;
const TITLE = 'Emergency access to Lena Fischer without a clinical reason';
const SCOPE = 'One record opened (Lena Fischer); allergies and medication were read.';

describe.each(storeTargets())('the incident register on %s', (target) => {
  let t: TestApp;
  let officer: HeldSession;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object) =>
    asSession(t.app, officer, method, url, body);
  const patch = (url: string, payload: object) =>
    t.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
      payload,
    });
  const openAlerts = async () =>
    (await call('GET', '/api/audit/alerts?status=open')).json<{ alerts: AuditAlert[] }>().alerts;

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    // Two emergency accesses, each an alert.
    for (const patientId of [LENA, DANIEL]) {
      const amara = await signInDemo(t.app, 'amara.');
      const res = await asSession(
        t.app,
        amara,
        'POST',
        `/api/patients/${patientId}/emergency-access`,
        {
          reason: 'Unconscious at the front door; need allergies now.',
        },
      );
      expect(res.statusCode).toBe(201);
    }
    expect(await evaluateAlerts(t.ctx)).toBe(2);
    officer = await signInDemo(t.app, 'priya.');
  });
  afterAll(() => t.close());

  let incident: IncidentDetail;

  it('opens an incident from an alert, with both notification clocks from awareness', async () => {
    const [alert] = await openAlerts();
    const [someEntry] = await t.ctx.store.db
      .select({ id: auditEntryTable.id })
      .from(auditEntryTable)
      .where(eq(auditEntryTable.patientId, MARIA))
      .limit(1);
    const discoveredAt = new Date(Date.now() - HOUR).toISOString();
    const res = await call('POST', '/api/audit/incidents', {
      title: TITLE,
      discoveredAt,
      scope: SCOPE,
      alertIds: [alert!.id],
      entryIds: someEntry ? [someEntry.id] : [],
    });
    expect(res.statusCode, res.body).toBe(201);
    incident = res.json<IncidentDetail>();
    expect(incident).toMatchObject({
      title: TITLE,
      scope: SCOPE,
      status: 'open',
      openedByName: 'Priya Natarajan',
      discoveredAt,
      alertIds: [alert!.id],
      authorityNotifiedAt: null,
      individualsNotifiedAt: null,
      authorityDueAt: new Date(Date.parse(discoveredAt) + 72 * HOUR).toISOString(),
      individualsDueAt: new Date(Date.parse(discoveredAt) + 60 * 24 * HOUR).toISOString(),
      closedAt: null,
      actions: [],
    });
    expect(incident.entryIds).toEqual(expect.arrayContaining(alert!.entryIds));
    const escalated = (await call('GET', '/api/audit/alerts')).json<{ alerts: AuditAlert[] }>();
    expect(escalated.alerts.find((a) => a.id === alert!.id)).toMatchObject({
      status: 'escalated',
      incidentId: incident.id,
    });
    // An alert already escalated cannot be escalated again.
    const again = await call('POST', '/api/audit/incidents', {
      title: 'Again',
      discoveredAt,
      alertIds: [alert!.id],
    });
    expect(again.statusCode).toBe(409);
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const before = await t.ctx.store.db.select().from(auditIncidentTable);
    const future = new Date(Date.now() + 2 * HOUR).toISOString();
    const url = `/api/audit/incidents/${incident.id}`;
    for (const [res, status] of [
      [await call('POST', '/api/audit/incidents', { title: 'x', discoveredAt: future }), 400],
      [await call('POST', '/api/audit/incidents', { title: 'Future', discoveredAt: future }), 400],
      [
        await call('POST', '/api/audit/incidents', {
          title: 'Gone',
          discoveredAt: incident.discoveredAt,
          entryIds: [99_999_999],
        }),
        422,
      ],
      [
        await call('POST', '/api/audit/incidents', {
          title: 'Gone',
          discoveredAt: incident.discoveredAt,
          alertIds: [99_999],
        }),
        404,
      ],
      [await patch(url, {}), 400],
      [await patch(url, { colour: 'red' }), 400],
      [await patch(url, { authorityNotifiedAt: '2020-01-01T00:00:00Z' }), 400],
      [await patch('/api/audit/incidents/99999', { title: 'Nobody' }), 404],
    ] as const) {
      expect(res.statusCode, res.body).toBe(status);
    }
    expect(await t.ctx.store.db.select().from(auditIncidentTable)).toEqual(before);
  });

  it('records actions, notifications and escalations, each in the ledger', async () => {
    const url = `/api/audit/incidents/${incident.id}`;
    const action = await call('POST', `${url}/actions`, {
      note: 'Asked Dr. Okafor for the clinical reason; she was covering for Dr. Becker.',
    });
    expect(action.statusCode).toBe(201);
    const [taken, ...more] = action.json<IncidentDetail>().actions;
    expect(more).toEqual([]);
    expect(taken).toMatchObject({ byName: 'Priya Natarajan' });
    expect(taken!.note).toContain('covering for Dr. Becker');
    const notifiedAt = new Date().toISOString();
    const notified = await patch(url, { authorityNotifiedAt: notifiedAt });
    expect(notified.statusCode).toBe(200);
    expect(notified.json<IncidentDetail>().authorityNotifiedAt).toBe(notifiedAt);

    const [other] = await openAlerts();
    const escalate = await call('POST', `/api/audit/alerts/${other!.id}/escalate`, {
      incidentId: incident.id,
    });
    expect(escalate.statusCode).toBe(204);
    incident = (await call('GET', url)).json<IncidentDetail>();
    expect(incident.alertIds).toHaveLength(2);
    expect(incident.entryIds).toEqual(expect.arrayContaining(other!.entryIds));

    const changes = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(inArray(auditEntryTable.action, ['incident_opened', 'incident_updated']));
    expect(changes.map((c) => [c.action, c.detail?.change ?? null])).toEqual([
      ['incident_opened', null],
      ['incident_updated', 'action'],
      ['incident_updated', 'details'],
      ['incident_updated', 'alert'],
    ]);
    for (const c of changes) {
      expect(c).toMatchObject({
        actorId: demoStaff('priya.').id,
        detail: { incidentId: incident.id },
      });
      expect(JSON.stringify(c)).not.toContain('Okafor');
    }
  });

  it('keeps title, scope and notes encrypted in the store', async () => {
    const [row] = await t.ctx.store.db
      .select()
      .from(auditIncidentTable)
      .where(eq(auditIncidentTable.id, incident.id));
    const notes = await t.ctx.store.db.select().from(auditIncidentActionTable);
    const stored = JSON.stringify({ row, notes });
    for (const clear of ['Lena', 'Fischer', 'allergies', 'Okafor', 'Becker']) {
      expect(stored).not.toContain(clear);
    }
    expect(row!.title).toMatch(/^v1\.\d+\./);
    expect(notes[0]!.note).toMatch(/^v1\.\d+\./);
  });

  it('closes only after the officer confirms who they are, then stops all change', async () => {
    const url = `/api/audit/incidents/${incident.id}`;
    const conclusion = { note: 'Access was clinically justified; no breach. Closed.' };
    await withClockAt(t.ctx, new Date(Date.now() + 10 * 60_000), async () => {
      const stale = await call('POST', `${url}/close`, conclusion);
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toMatchObject({ code: 'reauthentication_required' });
      const confirmed = await call('POST', '/api/auth/reauthenticate', {
        password: DEMO_STAFF_PASSWORD,
      });
      expect(confirmed.statusCode).toBe(204);
      const closed = await call('POST', `${url}/close`, conclusion);
      expect(closed.statusCode).toBe(200);
      const after = closed.json<IncidentDetail>();
      expect(after).toMatchObject({
        status: 'closed',
        authorityNotifiedAt: incident.authorityNotifiedAt,
        individualsNotifiedAt: null,
      });
      expect(after.closedAt).not.toBeNull();
      expect(after.actions.at(-1)!.note).toBe(conclusion.note);
      expect((await patch(url, { title: 'Reopened?' })).statusCode).toBe(409);
      expect((await call('POST', `${url}/actions`, { note: 'More' })).statusCode).toBe(409);
      expect((await call('POST', `${url}/close`, conclusion)).statusCode).toBe(409);
    });
    const [closed] = await t.ctx.store.db
      .select()
      .from(auditEntryTable)
      .where(eq(auditEntryTable.action, 'incident_closed'));
    expect(closed).toMatchObject({ category: 'security', detail: { incidentId: incident.id } });
  });

  it('is the security officer’s alone', async () => {
    for (const who of ['alex.', 'jonas.', 'tomasz.']) {
      const session = await signInDemo(t.app, who);
      const list = await asSession(t.app, session, 'GET', '/api/audit/incidents');
      const read = await asSession(t.app, session, 'GET', `/api/audit/incidents/${incident.id}`);
      const open = await asSession(t.app, session, 'POST', '/api/audit/incidents', {
        title: 'Not mine',
        discoveredAt: new Date().toISOString(),
      });
      expect([list.statusCode, read.statusCode, open.statusCode], who).toEqual([403, 403, 403]);
    }
    const listed = await call('GET', '/api/audit/incidents');
    expect(listed.json<{ incidents: IncidentDetail[] }>().incidents.map((i) => i.id)).toEqual([
      incident.id,
    ]);
  });
});
