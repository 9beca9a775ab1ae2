import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { AuditEvent } from 'fhir/r4.js';
import {
  DEMO_PATIENTS,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
  seedDemoClinic,
} from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { auditEventProblems } from '../../test-support/fhir-audit-event.js';
import { asSession, heldSession, type HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { auditEntryTable as ledger, LedgerIntegrator } from '../index.js';

const MARIA = DEMO_PATIENTS[0]!.patient.id!;
const staff = (prefix: string) => DEMO_STAFF.find((s) => s.email.startsWith(prefix))!;

describe.each(storeTargets())('the audit ledger exported as FHIR AuditEvents on %s', (target) => {
  let t: TestApp;
  let integrator: LedgerIntegrator;
  const since = new Date(Date.now() - 60 * 60_000).toISOString();

  async function signIn(prefix: string): Promise<HeldSession> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: staff(prefix).email, password: DEMO_STAFF_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return heldSession(res);
  }
  const exportAs = (who: HeldSession, query: string) =>
    asSession(t.app, who, 'GET', `/api/audit/export.ndjson?${query}`);
  const parse = (body: string) =>
    body
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEvent);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    integrator = new LedgerIntegrator({
      db: t.ctx.store.db,
      key: t.ctx.auditKey,
      schedule: { everyEntries: 1_000, everyMs: 60_000 },
      headsFile: t.ctx.config.audit.headsFile,
      log: t.ctx.log,
      now: () => new Date(),
    });
    const okafor = await signIn('amara.');
    await asSession(t.app, okafor, 'GET', `/api/patients/${MARIA}/sections/problems`);
    await integrator.catchUp();
  });
  afterAll(() => t.close());

  it('streams one valid AuditEvent per ledger entry in the range, and records the export', async () => {
    const until = new Date().toISOString();
    const officer = await signIn('priya.');
    const res = await exportAs(officer, new URLSearchParams({ since, until }).toString());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+ndjson');
    const events = parse(res.body);
    const inRange = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(
        and(
          isNotNull(ledger.sequence),
          gte(ledger.at, new Date(since)),
          lt(ledger.at, new Date(until)),
        ),
      );
    expect(events.length).toBeGreaterThan(0);
    expect(events).toHaveLength(inRange.length);
    expect(res.headers['x-audit-event-count']).toBe(String(inRange.length));
    for (const event of events) expect(auditEventProblems(event), event.id).toEqual([]);
    expect(events.map((e) => Number(e.id))).toEqual(
      inRange.map((r) => r.sequence).sort((a, b) => a! - b!),
    );

    const read = events.find(
      (e) =>
        e.subtype?.some((s) => s.code === 'readRecord') &&
        e.agent[0]?.who?.reference === `Practitioner/${staff('amara.').id}`,
    );
    expect(read).toMatchObject({
      type: { code: 'rest' },
      action: 'R',
      outcome: '0',
    });
    expect(read!.entity?.some((e) => e.what?.reference === `Patient/${MARIA}`)).toBe(true);
    expect(read!.agent[0]).toMatchObject({
      who: { display: 'Dr. Amara Okafor' },
      role: [{ coding: [{ code: 'clinician' }] }],
    });
    const login = events.find((e) => e.subtype?.some((s) => s.code === 'signed_in'));
    expect(login).toMatchObject({ type: { code: '110114' }, subtype: [{ code: '110122' }, {}] });

    const [recorded] = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(eq(ledger.category, 'export'))
      .orderBy(desc(ledger.id));
    expect(recorded).toMatchObject({
      action: 'audit_export',
      outcome: 'succeeded',
      actorType: 'staff',
      actorId: staff('priya.').id,
      actorRole: 'security_officer',
      detail: { count: inRange.length, since, until, format: 'fhir-r4-auditevent-ndjson' },
    });
  });

  it('continues after a ledger position, so a SIEM misses nothing between pulls', async () => {
    const officer = await signIn('priya.');
    const first = parse((await exportAs(officer, '')).body);
    const last = Number(first.at(-1)!.id);
    await integrator.catchUp();
    const next = parse((await exportAs(officer, `afterSequence=${last}`)).body);
    expect(next.length).toBeGreaterThan(0); // at least the first export's own entry
    expect(Number(next[0]!.id)).toBe(last + 1);
    expect(next.some((e) => e.type.code === '110106')).toBe(true);
  });

  it('is for the security officer only, after a recent sign-in, with a sound range', async () => {
    for (const who of ['amara.', 'alex.']) {
      const res = await exportAs(await signIn(who), '');
      expect(res.statusCode, who).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden' });
    }
    const officer = await signIn('priya.');
    const saved = t.ctx.now;
    t.ctx.now = () => new Date(Date.now() + 6 * 60_000);
    try {
      const stale = await exportAs(officer, '');
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toMatchObject({ code: 'reauthentication_required' });
    } finally {
      t.ctx.now = saved;
    }
    const backwards = await exportAs(
      officer,
      new URLSearchParams({
        since: '2026-11-25T10:00:00Z',
        until: '2026-11-25T09:00:00Z',
      }).toString(),
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ code: 'validation_failed' });
    expect((await exportAs(officer, 'since=yesterday')).statusCode).toBe(400);
  });
});
