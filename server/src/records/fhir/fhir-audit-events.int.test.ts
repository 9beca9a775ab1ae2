import { and, asc, desc, eq, isNotNull, lte } from 'drizzle-orm';
import type { AuditEvent, Bundle, OperationOutcome } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryTable as ledger, LedgerIntegrator } from '../../audit/index.js';
import { DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { auditEventProblems } from '../../test-support/fhir-audit-event.js';
import { fhirRequest, signInDemo } from '../../test-support/fhir-client.js';
import type { HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { AUDIT_EVENT_DEF } from './audit-events.js';

const MARIA = DEMO_PATIENTS[0]!.patient.id!;
const AMARA = DEMO_STAFF.find((s) => s.email.startsWith('amara.'))!.id;

describe.each(storeTargets())('the audit ledger as FHIR AuditEvents on %s', (target) => {
  let t: TestApp;
  let integrator: LedgerIntegrator;
  let officer: HeldSession;
  let amara: HeldSession;
  const get = (s: HeldSession, url: string, headers?: Record<string, string>) =>
    fhirRequest(t.app, s, 'GET', url, undefined, headers);
  const events = (res: { json: <T>() => T }) =>
    (res.json<Bundle>().entry ?? [])
      .filter((e) => e.search?.mode === 'match')
      .map((e) => e.resource as AuditEvent);
  const search = async (query: string) => {
    const res = await get(officer, `/fhir/AuditEvent?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return { bundle: res.json<Bundle>(), events: events(res) };
  };

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
    amara = await signInDemo(t.app, 'amara.');
    officer = await signInDemo(t.app, 'priya.');
    await fhirRequest(t.app, amara, 'GET', `/fhir/Patient/${MARIA}`);
    await fhirRequest(t.app, amara, 'GET', `/fhir/Condition?patient=${MARIA}`);
    await integrator.catchUp();
  });
  afterAll(() => t.close());

  it('is stated in the CapabilityStatement as read and search with the ledger’s parameters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/metadata' });
    const stated = res
      .json<{ rest: { resource: { type: string; interaction: { code: string }[] }[] }[] }>()
      .rest[0]!.resource.find((r) => r.type === 'AuditEvent');
    expect(stated).toMatchObject({
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: AUDIT_EVENT_DEF.params.map((p) => ({ name: p.name, type: p.kind })),
    });
  });

  it('refuses a clinician with an OperationOutcome and records the refusal', async () => {
    for (const url of ['/fhir/AuditEvent', '/fhir/AuditEvent/1']) {
      const res = await get(amara, url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    }
    const refusals = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(
        and(
          eq(ledger.action, 'readAudit'),
          eq(ledger.outcome, 'refused'),
          eq(ledger.actorId, AMARA),
        ),
      );
    expect(refusals).toHaveLength(2);
  });

  it('finds a patient’s entries newest first, each a valid AuditEvent read back by its id', async () => {
    const { bundle, events: found } = await search(`patient=Patient/${MARIA}&_sort=-date`);
    const stored = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.patientId, MARIA), isNotNull(ledger.sequence)));
    expect(found.length).toBeGreaterThan(0);
    expect(bundle.total).toBe(stored.length);
    const recorded = found.map((e) => e.recorded);
    expect(recorded).toEqual([...recorded].sort().reverse());
    for (const event of found) {
      expect(auditEventProblems(event), event.id).toEqual([]);
      expect(event.entity?.some((e) => e.what?.reference === `Patient/${MARIA}`)).toBe(true);
    }
    const one = await get(officer, `/fhir/AuditEvent/${found[0]!.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json<AuditEvent>()).toEqual(found[0]);
    for (const missing of ['999999', 'abc', '0']) {
      expect((await get(officer, `/fhir/AuditEvent/${missing}`)).statusCode, missing).toBe(404);
    }
  });

  it('filters by agent, subtype, outcome, action and date as the AuditEvents say', async () => {
    const byAgent = await search(`agent=Practitioner/${AMARA}&subtype=readRecord&outcome=0`);
    expect(byAgent.events.length).toBeGreaterThan(0);
    for (const e of byAgent.events) {
      expect(e.agent[0]!.who?.reference).toBe(`Practitioner/${AMARA}`);
      expect(e.subtype?.map((s) => s.code)).toContain('readRecord');
      expect(e.outcome).toBe('0');
    }
    // Every entry has exactly one action code, so the five searches partition the ledger.
    const { bundle: all } = await search('_count=1');
    let sum = 0;
    for (const code of ['C', 'R', 'U', 'D', 'E']) {
      const { bundle, events: found } = await search(`action=${code}&_count=100`);
      for (const e of found) expect(e.action, e.id).toBe(code);
      sum += bundle.total!;
    }
    // (Nothing is integrated meanwhile here, so each search sees the same ledger.)
    expect(sum).toBe(all.total);
    const { bundle: byId } = await search(`_id=${all.entry![0]!.resource!.id},999999`);
    expect(byId.total).toBe(1);

    const middle = byAgent.events[0]!.recorded;
    const before = await search(`date=lt${middle}&agent=${AMARA}`);
    const after = await search(`date=ge${middle}&agent=${AMARA}`);
    const every = await search(`agent=${AMARA}`);
    expect(before.bundle.total! + after.bundle.total!).toBe(every.bundle.total);
    for (const e of before.events) expect(e.recorded < middle).toBe(true);
    const year = new Date().getUTCFullYear();
    expect((await search(`date=${year}&agent=${AMARA}`)).bundle.total).toBe(every.bundle.total);
    expect((await search(`date=lt${year}&agent=${AMARA}`)).bundle.total).toBe(0);
  });

  it('pages with a sealed next link that keeps to the ledger it started on', async () => {
    const first = await search('_sort=-date&_count=2');
    const next = first.bundle.link!.find((l) => l.relation === 'next')!.url;
    await integrator.catchUp(); // the first page's own read is now in the ledger, newest of all
    const second = await get(officer, next.slice(next.indexOf('/fhir/')));
    expect(second.statusCode).toBe(200);
    const [read] = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(eq(ledger.action, 'audit_read'))
      .orderBy(desc(ledger.id))
      .limit(2)
      .then((rows) => rows.slice(1));
    const through = Number(read!.detail!.throughSequence);
    const expected = await t.ctx.store.db
      .select({ sequence: ledger.sequence })
      .from(ledger)
      .where(and(isNotNull(ledger.sequence), lte(ledger.sequence, through)))
      .orderBy(desc(ledger.at), desc(ledger.sequence))
      .limit(2)
      .offset(2);
    expect(events(second).map((e) => Number(e.id))).toEqual(expected.map((r) => r.sequence));
    expect(second.json<Bundle>().total).toBe(first.bundle.total);

    const mixed = await get(officer, `${next.slice(next.indexOf('/fhir/'))}&patient=${MARIA}`);
    expect(mixed.statusCode).toBe(400);
    const jonas = await signInDemo(t.app, 'jonas.');
    expect((await get(jonas, next.slice(next.indexOf('/fhir/')))).statusCode).toBe(403);
  });

  it('records every read of the ledger as an export of the trail', async () => {
    const before = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(eq(ledger.action, 'audit_read'))
      .orderBy(asc(ledger.id));
    const { events: found } = await search(`patient=${MARIA}&_count=3`);
    await get(officer, `/fhir/AuditEvent/${found[0]!.id}`);
    const after = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(eq(ledger.action, 'audit_read'))
      .orderBy(asc(ledger.id));
    const added = after.slice(before.length);
    expect(added).toMatchObject([
      {
        category: 'export',
        outcome: 'succeeded',
        actorRole: 'security_officer',
        patientId: null,
        detail: { interaction: 'search-type', count: found.length },
      },
      { category: 'export', detail: { interaction: 'read', count: 1 } },
    ]);
  });

  it('answers unknown parameters and unreadable values with an OperationOutcome', async () => {
    const unknown = await get(officer, '/fhir/AuditEvent?entity-name=x');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<OperationOutcome>().issue[0]).toMatchObject({
      code: 'not-supported',
      expression: ['entity-name'],
    });
    const lenient = await get(officer, '/fhir/AuditEvent?entity-name=x&_count=1', {
      prefer: 'handling=lenient',
    });
    expect(lenient.statusCode).toBe(200);
    expect(lenient.json<Bundle>().entry!.some((e) => e.search?.mode === 'outcome')).toBe(true);
    for (const bad of [
      'date=yesterday',
      'date=ne2024',
      'patient=Maria',
      'action=X',
      'outcome=1',
      'subtype=http://dicom.nema.org/resources/ontology/DCM|110122',
      '_sort=_lastUpdated',
      '_count=0',
    ]) {
      const res = await get(officer, `/fhir/AuditEvent?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<OperationOutcome>().issue[0]!.code, bad).toBe('invalid');
    }
    for (const method of ['POST', 'PUT'] as const) {
      const url = method === 'POST' ? '/fhir/AuditEvent' : '/fhir/AuditEvent/1';
      const res = await fhirRequest(t.app, officer, method, url, { resourceType: 'AuditEvent' });
      expect(res.statusCode, method).toBe(400);
    }
    expect((await get(officer, '/fhir/AuditEvent/1/_history')).statusCode).toBe(400);
  });
});
