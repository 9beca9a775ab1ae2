import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryTable as ledger } from '../../audit/index.js';
import { buildApp } from '../../app.js';
import { DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from '../../demo/index.js';
import { queryRows } from '../../platform/db/index.js';
import { startBulkExportWorker } from '../../lifecycle.js';
import { createTestApp, createTestContext, type TestApp } from '../../test-support/context.js';
import { fhirRequest, signInDemo } from '../../test-support/fhir-client.js';
import type { HeldSession } from '../../test-support/staff-client.js';
import { createTestStore, storeTargets } from '../../test-support/stores.js';
import { STORED_TYPES } from './definitions.js';
import { purgeExpired } from './bulk-export/jobs.js';
import { bulkExportFile, bulkExportJob } from './bulk-export/schema.js';
import type { FastifyInstance } from 'fastify';

const [MARIA, DANIEL, LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const JONAS = DEMO_STAFF.find((s) => s.email.startsWith('jonas.'))!.id;
const ENV = { MFA_REQUIRED_ROLES: 'none' };
const ASYNC = { prefer: 'respond-async', accept: 'application/fhir+json' };

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}

/** The path of an absolute URL this server gave, for `inject`. */
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const patientOf = (r: Resource) =>
  r.resourceType === 'Patient'
    ? r.id!
    : ((r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject ??
        (r as { patient?: { reference?: string } }).patient)!.reference!.replace('Patient/', '');
const byId = (a: Resource, b: Resource) => a.id!.localeCompare(b.id!);

async function kickOff(
  app: FastifyInstance,
  s: HeldSession,
  url: string,
  headers: Record<string, string> = ASYNC,
) {
  return fhirRequest(app, s, 'GET', url, undefined, headers);
}

/** Polls the status address until the export is complete (each answer checked on the way). */
async function manifestOf(app: FastifyInstance, s: HeldSession, status: string): Promise<Manifest> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const res = await fhirRequest(app, s, 'GET', pathOf(status));
    if (res.statusCode === 200) return res.json<Manifest>();
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers['x-progress']).toMatch(/^\d+ of \d+ resource types exported$/);
    expect(res.headers['retry-after']).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the export did not complete');
}

/** Every file of a manifest, downloaded and parsed line by line, by type. */
async function filesOf(app: FastifyInstance, s: HeldSession, manifest: Manifest) {
  const files = new Map<string, Resource[]>();
  for (const output of manifest.output) {
    const res = await fhirRequest(app, s, 'GET', pathOf(output.url));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+ndjson');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    const lines = res.body.split('\n').filter((l) => l.length > 0);
    const resources = lines.map((l) => JSON.parse(l) as Resource);
    expect(resources.every((r) => r.resourceType === output.type && !!r.id)).toBe(true);
    expect(resources).toHaveLength(output.count);
    files.set(output.type, resources);
  }
  return files;
}

async function exported(app: FastifyInstance, s: HeldSession, url: string) {
  const res = await kickOff(app, s, url);
  expect(res.statusCode, res.body).toBe(202);
  const status = String(res.headers['content-location']);
  const manifest = await manifestOf(app, s, status);
  return { status, manifest, files: await filesOf(app, s, manifest) };
}

describe.each(storeTargets())('FHIR bulk export on %s', (target) => {
  let t: TestApp;
  let worker: ReturnType<typeof startBulkExportWorker>;
  let leah: HeldSession;
  let alex: HeldSession;
  let jonas: HeldSession;
  let amara: HeldSession;
  let full: Awaited<ReturnType<typeof exported>>;

  /** Every resource of a type a member of staff finds through `/fhir` search, all pages. */
  async function searchAll(s: HeldSession, type: string): Promise<Resource[]> {
    const found: Resource[] = [];
    let url: string | undefined = `/fhir/${type}?_count=100`;
    while (url) {
      const res = await fhirRequest(t.app, s, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const bundle = res.json<Bundle>();
      found.push(...(bundle.entry ?? []).map((e) => e.resource as Resource));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next ? pathOf(next) : undefined;
    }
    return found;
  }

  beforeAll(async () => {
    t = await createTestApp(target, ENV);
    await seedDemoClinic(t.ctx);
    worker = startBulkExportWorker(t.ctx);
    leah = await signInDemo(t.app, 'leah.');
    alex = await signInDemo(t.app, 'alex.');
    jonas = await signInDemo(t.app, 'jonas.');
    amara = await signInDemo(t.app, 'amara.');
    full = await exported(t.app, leah, '/fhir/Patient/$export');
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
  });

  it('lists $export at system, Patient and Group level in the CapabilityStatement, as the IG defines them', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/metadata' });
    const statement = res.json<CapabilityStatement>();
    const IG = 'http://hl7.org/fhir/uv/bulkdata';
    expect(statement.instantiates).toEqual([`${IG}/CapabilityStatement/bulk-data`]);
    const rest = statement.rest![0]!;
    expect(rest.operation).toEqual([
      { name: 'export', definition: `${IG}/OperationDefinition/export` },
    ]);
    const operationsOf = (type: string) =>
      rest.resource!.find((r) => r.type === type)?.operation ?? [];
    expect(operationsOf('Patient')).toEqual([
      { name: 'export', definition: `${IG}/OperationDefinition/patient-export` },
    ]);
    expect(operationsOf('Group')).toEqual([
      { name: 'export', definition: `${IG}/OperationDefinition/group-export` },
    ]);
    expect(operationsOf('Observation')).toEqual([]);
  });

  it('refuses a kick-off without Prefer: respond-async, or naming a type it does not store, and starts nothing', async () => {
    const jobsBefore = await t.ctx.store.db.$count(bulkExportJob);
    const noPrefer = await kickOff(t.app, leah, '/fhir/Patient/$export', {
      accept: 'application/fhir+json',
    });
    expect(noPrefer.statusCode).toBe(400);
    const outcome = noPrefer.json<OperationOutcome>();
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.expression).toEqual(['Prefer']);
    for (const url of [
      '/fhir/Patient/$export?_type=Practitioner',
      '/fhir/$export?_type=Observation,Nonsense',
      '/fhir/Patient/$export?_outputFormat=text/csv',
      '/fhir/Patient/$export?_since=yesterday',
      '/fhir/Patient/$export?_typeFilter=Observation%3Fcode%3D1',
    ]) {
      const res = await kickOff(t.app, leah, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    }
    expect(await t.ctx.store.db.$count(bulkExportJob)).toBe(jobsBefore);
  });

  it('exports every patient as the researcher: what search shows the care teams, less what consent withholds', async () => {
    const { manifest, files } = full;
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);
    expect(manifest.request).toMatch(/\/fhir\/Patient\/\$export$/);
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
    expect(manifest.output.map((o) => o.type)).toContain('Patient');
    // Jonas cares for Daniel and Lena, Amara for Maria: together they read every demo patient.
    for (const type of STORED_TYPES) {
      const searched = [...(await searchAll(jonas, type)), ...(await searchAll(amara, type))];
      const unique = [...new Map(searched.map((r) => [r.id, r])).values()].sort(byId);
      expect([...(files.get(type) ?? [])].sort(byId), type).toEqual(unique);
    }
    expect(
      files
        .get('Patient')!
        .map((p) => p.id)
        .sort(),
    ).toEqual([MARIA, DANIEL, LENA].sort());
    // Lena withholds her mental-health content, which her record holds: none of it is exported.
    const lenasRecords = DEMO_PATIENTS[2]!.records(`Patient/${LENA}`, () => '2026-01-01');
    expect(lenasRecords.some((r) => JSON.stringify(r.meta?.security ?? []).includes('"PSY"'))).toBe(
      true,
    );
    const all = [...files.values()].flat();
    const psy = all.filter(
      (r) => patientOf(r) === LENA && JSON.stringify(r.meta?.security ?? []).includes('"PSY"'),
    );
    expect(psy).toEqual([]);
  });

  it('exports the same as the administrator; a clinician may not start one', async () => {
    const admin = await exported(t.app, alex, '/fhir/$export');
    for (const type of STORED_TYPES) {
      expect((admin.files.get(type) ?? []).map((r) => r.id).sort()).toEqual(
        (full.files.get(type) ?? []).map((r) => r.id).sort(),
      );
    }
    const refused = await kickOff(t.app, jonas, '/fhir/Patient/$export');
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().issue[0]?.code).toBe('forbidden');
  });

  it('filters by _type and by _since', async () => {
    const typed = await exported(t.app, leah, '/fhir/Patient/$export?_type=Condition,Patient');
    expect(typed.manifest.output.map((o) => o.type).sort()).toEqual(['Condition', 'Patient']);
    expect(typed.files.get('Condition')).toEqual(full.files.get('Condition'));
    // The same asked for with a Parameters body.
    const posted = await fhirRequest(
      t.app,
      leah,
      'POST',
      '/fhir/Patient/$export',
      {
        resourceType: 'Parameters',
        parameter: [
          { name: '_outputFormat', valueString: 'ndjson' },
          { name: '_type', valueString: 'Condition,Patient' },
        ],
      },
      ASYNC,
    );
    expect(posted.statusCode, posted.body).toBe(202);
    const postedManifest = await manifestOf(
      t.app,
      leah,
      String(posted.headers['content-location']),
    );
    expect(postedManifest.output.map((o) => [o.type, o.count])).toEqual(
      typed.manifest.output.map((o) => [o.type, o.count]),
    );

    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const created = await fhirRequest(t.app, jonas, 'POST', '/fhir/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${DANIEL}` },
      valueQuantity: { value: 64, unit: '/min' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const recent = await exported(
      t.app,
      leah,
      `/fhir/Patient/$export?_since=${encodeURIComponent(since)}`,
    );
    expect(recent.manifest.output).toEqual([
      expect.objectContaining({ type: 'Observation', count: 1 }),
    ]);
    expect(recent.files.get('Observation')![0]!.id).toBe(created.json<Resource>().id);
  });

  it('exports a care team as a Group: only the patients it cares for; an unknown group is 404', async () => {
    const group = await exported(t.app, leah, `/fhir/Group/${JONAS}/$export`);
    const patients = new Set([...group.files.values()].flat().map(patientOf));
    expect([...patients].sort()).toEqual([DANIEL, LENA].sort());
    const expected = [...full.files.values()]
      .flat()
      .filter((r) => patientOf(r) !== MARIA)
      .map((r) => r.id);
    // The full export was read before the _since test added one of Daniel's observations.
    const groupIds = [...group.files.values()].flat().map((r) => r.id);
    expect(groupIds).toEqual(expect.arrayContaining(expected));
    expect(groupIds.length).toBe(expected.length + 1);
    for (const id of [MARIA, '00000000-0000-4000-8000-000000000001', 'not-an-id']) {
      const res = await kickOff(t.app, leah, `/fhir/Group/${id}/$export`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    }
  });

  it('shows a job only to its requester; DELETE removes it and its files', async () => {
    const { status, manifest } = await exported(t.app, leah, '/fhir/Patient/$export?_type=Patient');
    const file = pathOf(manifest.output[0]!.url);
    for (const [method, url] of [
      ['GET', pathOf(status)],
      ['GET', file],
    ] as const) {
      expect((await fhirRequest(t.app, alex, method, url)).statusCode).toBe(404);
    }
    const othersDelete = await t.app.inject({
      method: 'DELETE',
      url: pathOf(status),
      headers: { cookie: alex.cookie, 'x-csrf-token': alex.csrf },
    });
    expect(othersDelete.statusCode).toBe(404);
    expect((await fhirRequest(t.app, leah, 'GET', file)).statusCode).toBe(200);

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: pathOf(status),
      headers: { cookie: leah.cookie, 'x-csrf-token': leah.csrf },
    });
    expect(deleted.statusCode).toBe(202);
    expect((await fhirRequest(t.app, leah, 'GET', pathOf(status))).statusCode).toBe(404);
    expect((await fhirRequest(t.app, leah, 'GET', file)).statusCode).toBe(404);
    const jobId = pathOf(status).split('/').pop()!;
    expect(await t.ctx.store.db.$count(bulkExportFile, eq(bulkExportFile.jobId, jobId))).toBe(0);
  });

  it('forgets a job past its expiry, and purges it with its files', async () => {
    const { status, manifest } = await exported(t.app, leah, '/fhir/Patient/$export?_type=Patient');
    const jobId = pathOf(status).split('/').pop()!;
    const db = t.ctx.store.db;
    await db
      .update(bulkExportJob)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(bulkExportJob.id, jobId));
    expect((await fhirRequest(t.app, leah, 'GET', pathOf(status))).statusCode).toBe(404);
    expect(
      (await fhirRequest(t.app, leah, 'GET', pathOf(manifest.output[0]!.url))).statusCode,
    ).toBe(404);
    expect(await purgeExpired(db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await db.$count(bulkExportJob, eq(bulkExportJob.id, jobId))).toBe(0);
    expect(await db.$count(bulkExportFile, eq(bulkExportFile.jobId, jobId))).toBe(0);
  });

  it('records the kick-off, each patient exported, the completed job and each download in the ledger', async () => {
    const jobId = new URL(full.status).pathname.split('/').pop()!;
    const entries = (await t.ctx.store.db.select().from(ledger)).filter(
      (e) => e.detail?.bulkExportJob === jobId,
    );
    const leahId = DEMO_STAFF.find((s) => s.email.startsWith('leah.'))!.id;
    expect(entries.every((e) => e.actorId === leahId)).toBe(true);
    const kickOffs = entries.filter((e) => e.category === 'access' && e.patientId === null);
    expect(kickOffs).toHaveLength(1);
    expect(kickOffs[0]).toMatchObject({ action: 'bulkExportRecords', outcome: 'allowed' });
    const perPatient = entries.filter((e) => e.category === 'access' && e.patientId !== null);
    expect(new Set(perPatient.map((e) => e.patientId))).toEqual(new Set([MARIA, DANIEL, LENA]));
    expect(
      perPatient.every((e) => e.action === 'bulkExportRecords' && e.outcome === 'allowed'),
    ).toBe(true);
    const total = full.manifest.output.reduce((sum, o) => sum + o.count, 0);
    const completed = entries.filter((e) => e.action === 'fhir_bulk_export_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.detail).toMatchObject({ count: total });
    const downloads = entries.filter((e) => e.action === 'fhir_bulk_export_downloaded');
    expect(downloads.map((e) => e.detail!.type).sort()).toEqual(
      full.manifest.output.map((o) => o.type).sort(),
    );
    const refusals = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.action, 'bulkExportRecords'), eq(ledger.outcome, 'refused')));
    expect(refusals.map((e) => e.actorId)).toContain(JONAS);
  });

  it('stores the files sealed: no patient content in clear in the table', async () => {
    const rows = await t.ctx.store.db.select().from(bulkExportFile);
    expect(rows.length).toBeGreaterThan(0);
    const family = DEMO_PATIENTS[0]!.patient.name![0]!.family!;
    for (const row of rows) {
      expect(row.content).not.toContain(family);
      expect(row.content).not.toContain('resourceType');
      expect(row.content).toMatch(/^v1\./);
    }
    const [clear] = await queryRows<{ n: number }>(
      t.ctx.store.db,
      sql`select count(*)::int as n from bulk_export_file where content like ${`%${family}%`}`,
    );
    expect(clear?.n).toBe(0);
  });
});

describe.each(storeTargets())('a FHIR bulk export across a restart on %s', (target) => {
  it('is finished by the next server on the same database after the first stopped', async () => {
    const store = await createTestStore(target);
    // Both servers hold the same master key, as one clinic's restarted server does.
    const env = { ...ENV, MASTER_KEY: randomBytes(32).toString('base64') };
    try {
      const first = await createTestContext(target, env, store);
      const app1 = await buildApp(first.ctx, { webRoot: null });
      await seedDemoClinic(first.ctx);
      const leah = await signInDemo(app1, 'leah.');
      // No worker runs on the first server: the job is acknowledged and left in progress.
      const res = await kickOff(app1, leah, '/fhir/Patient/$export?_type=Patient');
      expect(res.statusCode, res.body).toBe(202);
      const status = String(res.headers['content-location']);
      const pending = await fhirRequest(app1, leah, 'GET', pathOf(status));
      expect(pending.statusCode).toBe(202);
      expect(pending.headers['x-progress']).toBe('0 of 1 resource types exported');
      await app1.close();
      await first.close();

      const second = await createTestContext(target, env, store);
      const app2 = await buildApp(second.ctx, { webRoot: null });
      const worker = startBulkExportWorker(second.ctx);
      try {
        const manifest = await manifestOf(app2, leah, status);
        const files = await filesOf(app2, leah, manifest);
        expect(
          files
            .get('Patient')!
            .map((p) => p.id)
            .sort(),
        ).toEqual([MARIA, DANIEL, LENA].sort());
      } finally {
        await worker.stop();
        await app2.close();
        await second.close();
      }
    } finally {
      await store.cleanup();
    }
  });
});
