import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Condition, DocumentReference, Encounter } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_CLOSE, type EhrImportResult, type EhrWriteback } from '@safeconsult/protocol';
import { buildApp } from '../app.js';
import { auditEntry } from '../audit/schema.js';
import { consultRoom } from '../consults/schema.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import {
  addClinicalResource,
  createPatient,
  listClinicalResources,
  MRN_SYSTEM,
  updateClinicalResource,
} from '../records/index.js';
import { consultFixture } from '../test-support/consult-fixture.js';
import {
  createTestApp,
  createTestContext,
  type TestApp,
  type TestContext,
} from '../test-support/context.js';
import { SignalClient } from '../test-support/signal-client.js';
import { clientAssertion, clientKeys, tokenRequestBody } from '../test-support/smart-client.js';
import { asSession, heldSession, type HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { EhrFhirClient, EhrTokenCache } from './ehr-client.js';
import { deliverDueWritebacks } from './index.js';
import { ehrWritebackJob } from './schema.js';

const ORIGIN = 'http://localhost:3000';
const SNOMED = 'http://snomed.info/sct';
const EHR_SCOPES = [
  'system/Patient.rs',
  'system/Condition.rs',
  'system/AllergyIntolerance.rs',
  'system/MedicationStatement.rs',
  'system/Observation.rs',
  'system/DocumentReference.crs',
  'system/Encounter.crs',
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A second SafeConsult acting as the EHR, on a real port, restartable on its own store. */
class EhrServer {
  app: FastifyInstance | undefined;
  constructor(
    readonly tc: TestContext,
    readonly port: number,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    this.app = await buildApp(this.tc.ctx, { webRoot: null });
    await this.app.listen({ host: '127.0.0.1', port: this.port });
  }
  async stop() {
    await this.app?.close();
    this.app = undefined;
  }
}

describe.each(storeTargets())('the EHR connector against a second SafeConsult on %s', (target) => {
  let t: TestApp;
  let ehr: EhrServer;
  let f: Awaited<ReturnType<typeof consultFixture>>;
  let localAdmin: HeldSession;
  let ehrPatient: string;
  let appointmentId: string;
  let reader: { token: string };

  async function admin(app: FastifyInstance, ctx: TestContext['ctx'], email: string) {
    const user = await createStaffUser(ctx.store.db, {
      email,
      displayName: 'Admin',
      role: 'admin',
    });
    await setStaffPassword(ctx.store.db, user.id, 'lantern orchard tuesday mosaic', new Date());
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'lantern orchard tuesday mosaic' },
    });
    return heldSession(res);
  }

  const inject = (
    app: FastifyInstance,
    s: HeldSession,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
  ) =>
    app.inject({
      method,
      url,
      headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) },
      ...(payload ? { payload } : {}),
    });

  /** Reads the EHR through its own /fhir, as a reading client of the test. */
  const readEhr = async <T>(path: string) => {
    const res = await fetch(`${ehr.url}/fhir/${path}`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  /** A system client registered on the EHR by its administrator; its id. */
  async function registerOnEhr(jwks: object, scopes: string[]) {
    const ehrAdmin = await admin(ehr.app!, ehr.tc.ctx, `admin.${Math.random()}@ehr.example`);
    const res = await inject(ehr.app!, ehrAdmin, 'POST', '/api/admin/system-clients', {
      name: 'Riverside SafeConsult',
      jwks,
      scopes,
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ clientId: string }>().clientId;
  }

  async function tokenFromEhr(
    keys: Awaited<ReturnType<typeof clientKeys>>,
    clientId: string,
    scope: string,
  ) {
    const res = await fetch(`${ehr.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(
        await clientAssertion(keys, { clientId, audience: `${ehr.url}/oauth/token` }),
        scope,
      ),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  beforeAll(async () => {
    const port = await freePort();
    const tc = await createTestContext(target, {
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    ehr = new EhrServer(tc, port);
    await ehr.start();
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none', PUBLIC_URL: ORIGIN });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    f = await consultFixture(t.app, t.ctx);
    localAdmin = await admin(t.app, t.ctx, 'admin@riverside.example');

    // The EHR knows the patient under the same record number, with a record of its own.
    const db = ehr.tc.ctx.store.db;
    ehrPatient = await createPatient(db, ehr.tc.ctx.fields, {
      resourceType: 'Patient',
      identifier: [{ system: MRN_SYSTEM, value: f.mrn }],
      name: [{ family: 'Schneider', given: ['Maria'] }],
      birthDate: '1968-04-12',
    });
    const condition: Condition = {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
        ],
      },
      code: { coding: [{ system: SNOMED, code: '38341003', display: 'Hypertension' }] },
      subject: { reference: `Patient/${ehrPatient}` },
      recorder: { reference: 'Practitioner/somebody-at-the-ehr', display: 'Dr. Weber' },
    };
    await addClinicalResource(db, ehr.tc.ctx.fields, ehrPatient, condition);
    await addClinicalResource(db, ehr.tc.ctx.fields, ehrPatient, {
      resourceType: 'AllergyIntolerance',
      code: { coding: [{ system: SNOMED, code: '764146007', display: 'Penicillin' }] },
      patient: { reference: `Patient/${ehrPatient}` },
    });

    const readerKeys = await clientKeys('RS384');
    const readerId = await registerOnEhr(readerKeys.jwks, ['system/*.read']);
    reader = { token: await tokenFromEhr(readerKeys, readerId, 'system/*.read') };
  });
  afterAll(async () => {
    await t.close();
    await ehr.stop();
    await ehr.tc.close();
  });

  it('is set up with a key pair made here, registered with the EHR, and keeps the private key', async () => {
    const made = await inject(t.app, localAdmin, 'POST', '/api/admin/ehr-connection/key-pair');
    expect(made.statusCode).toBe(201);
    const { publicJwks } = made.json<{ publicJwks: { keys: Record<string, unknown>[] } }>();
    expect(publicJwks.keys[0]).not.toHaveProperty('d');
    const clientId = await registerOnEhr(publicJwks, EHR_SCOPES);
    const saved = await inject(t.app, localAdmin, 'PUT', '/api/admin/ehr-connection', {
      baseUrl: `${ehr.url}/fhir`,
      patientIdentifierSystem: MRN_SYSTEM,
      auth: { kind: 'smart-backend', clientId, scopes: EHR_SCOPES },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain('"d"');
    expect(saved.json()).toMatchObject({
      authKind: 'smart-backend',
      clientId,
      hasBearerToken: false,
    });
  });

  it("imports the consult's patient's record from the EHR, and a repeat duplicates nothing", async () => {
    ({ appointmentId } = await f.consult());
    const other = await f.staff('clinician', 'Stranger');
    const refused = await inject(
      t.app,
      other.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(refused.statusCode).toBe(404);

    const first = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(first.statusCode).toBe(200);
    expect(first.json<EhrImportResult>()).toMatchObject({
      remotePatient: `${ehr.url}/fhir/Patient/${ehrPatient}`,
      added: 2,
      updated: 0,
      unchanged: 0,
      skipped: 0,
    });
    const conditions = (await listClinicalResources(
      t.ctx.store.db,
      t.ctx.fields,
      f.patientId,
      'Condition',
    )) as Condition[];
    expect(conditions).toHaveLength(1);
    expect(conditions[0]!.code?.coding?.[0]?.code).toBe('38341003');
    expect(conditions[0]!.subject.reference).toBe(`Patient/${f.patientId}`);
    // The EHR's practitioner is not ours: only the name stays.
    expect(conditions[0]!.recorder).toEqual({ display: 'Dr. Weber' });
    expect(conditions[0]!.meta?.source).toMatch(new RegExp(`^${ehr.url}/fhir/Condition/`));

    const again = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(again.json<EhrImportResult>()).toMatchObject({ added: 0, unchanged: 2 });
    const all = await listClinicalResources(t.ctx.store.db, t.ctx.fields, f.patientId);
    expect(all.filter((r) => r.resourceType !== 'Encounter')).toHaveLength(2);

    // The EHR corrects its condition: the next import updates the local copy in place.
    const [atEhr] = (await listClinicalResources(
      ehr.tc.ctx.store.db,
      ehr.tc.ctx.fields,
      ehrPatient,
      'Condition',
    )) as (Condition & { id: string })[];
    const corrected = { system: SNOMED, code: '59621000', display: 'Essential hypertension' };
    await updateClinicalResource(ehr.tc.ctx.store.db, ehr.tc.ctx.fields, ehrPatient, {
      ...atEhr!,
      code: { coding: [corrected] },
    });
    const updated = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(updated.json<EhrImportResult>()).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    const local = (await listClinicalResources(
      t.ctx.store.db,
      t.ctx.fields,
      f.patientId,
      'Condition',
    )) as Condition[];
    expect(local.map((c) => c.code?.coding?.[0]?.code)).toEqual(['59621000']);
  });

  it('refuses an import to whoever may not write the record, before the EHR is asked', async () => {
    const desk = await f.staff('front_desk', 'Desk');
    const ehrLedger = async () => (await ehr.tc.ctx.store.db.select().from(auditEntry)).length;
    const before = await ehrLedger();
    const refused = await inject(
      t.app,
      desk.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(refused.statusCode).toBe(403);
    // Not one request reached the EHR: it records every call a client makes.
    expect(await ehrLedger()).toBe(before);
  });

  it('writes the Encounter and note back, waits out an EHR outage, and delivers once', async () => {
    const address = t.app.server.address() as { port: number };
    const result = await SignalClient.connect(
      `ws://127.0.0.1:${address.port}/api/consults/${appointmentId}/signal`,
      { origin: ORIGIN, cookie: f.clinician.session.cookie },
    );
    if (!('client' in result)) throw new Error(`refused with ${result.status}`);
    await result.client.take('welcome');
    const early = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-writeback`,
    );
    expect(early.statusCode).toBe(409);
    result.client.send({ type: 'end' });
    expect(await result.client.closed).toBe(SIGNAL_CLOSE.ended);
    const note = await asSession(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/note`,
      {
        patientId: f.patientId,
        text: 'Blood pressure improving. Review in four weeks.',
      },
    );
    expect(note.statusCode).toBe(201);

    await ehr.stop();
    const queued = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-writeback`,
    );
    expect(queued.statusCode).toBe(202);
    expect(queued.json<EhrWriteback>().state).toBe('pending');
    await deliverDueWritebacks(t.ctx);
    const state = async () =>
      (
        await inject(
          t.app,
          f.clinician.session,
          'GET',
          `/api/consults/${appointmentId}/ehr-writeback`,
        )
      ).json<EhrWriteback>();
    const waiting = await state();
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting.lastError).toMatch(/unreachable/);
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThan(Date.now());

    // Back before the retry is due: nothing is tried until it is.
    await ehr.start();
    await deliverDueWritebacks(t.ctx);
    expect((await state()).attempts).toBe(1);
    const realNow = t.ctx.now;
    t.ctx.now = () => new Date(realNow().getTime() + 40_000);
    try {
      await deliverDueWritebacks(t.ctx);
    } finally {
      t.ctx.now = realNow;
    }
    const delivered = await state();
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });

    const [room] = await t.ctx.store.db
      .select({ encounterId: consultRoom.encounterId })
      .from(consultRoom)
      .where(eq(consultRoom.appointmentId, appointmentId));
    const remoteEncounterId = delivered.remoteEncounter!.split('/').pop()!;
    const remoteDocumentId = delivered.remoteDocument!.split('/').pop()!;
    const encounter = await readEhr<Encounter>(`Encounter/${remoteEncounterId}`);
    expect(encounter.subject?.reference).toBe(`Patient/${ehrPatient}`);
    expect(encounter.identifier?.[0]).toEqual({
      system: `${ORIGIN}/fhir/Encounter`,
      value: room!.encounterId,
    });
    const document = await readEhr<DocumentReference>(`DocumentReference/${remoteDocumentId}`);
    expect(document.subject?.reference).toBe(`Patient/${ehrPatient}`);
    expect(document.context?.encounter?.[0]?.reference).toBe(`Encounter/${remoteEncounterId}`);
    expect(Buffer.from(document.content[0]!.attachment.data!, 'base64').toString('utf8')).toBe(
      'Blood pressure improving. Review in four weeks.',
    );

    // Sent again, the EHR's conditional create finds what it has: nothing is duplicated.
    await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-writeback`,
    );
    await deliverDueWritebacks(t.ctx);
    expect(await state()).toMatchObject({
      state: 'delivered',
      remoteEncounter: delivered.remoteEncounter,
      remoteDocument: delivered.remoteDocument,
    });
    const encounters = await readEhr<{ total: number }>(`Encounter?patient=${ehrPatient}`);
    expect(encounters.total).toBe(1);
  });

  it('asked again while another node delivers, goes once that delivery lets go, not beside it', async () => {
    // Another node holds the job, mid-delivery.
    const heldUntil = new Date(Date.now() + 60_000);
    await t.ctx.store.db
      .update(ehrWritebackJob)
      .set({ claimedUntil: heldUntil })
      .where(eq(ehrWritebackJob.appointmentId, appointmentId));
    const again = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-writeback`,
    );
    expect(again.statusCode).toBe(202);
    expect(again.json<EhrWriteback>()).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await deliverDueWritebacks(t.ctx)).toBe(false);

    // That node's claim runs out (a crash), so the request waiting behind it is delivered.
    const realNow = t.ctx.now;
    t.ctx.now = () => new Date(heldUntil.getTime() + 1_000);
    try {
      expect(await deliverDueWritebacks(t.ctx)).toBe(true);
    } finally {
      t.ctx.now = realNow;
    }
    const [job] = await t.ctx.store.db
      .select()
      .from(ehrWritebackJob)
      .where(eq(ehrWritebackJob.appointmentId, appointmentId));
    expect(job).toMatchObject({ state: 'delivered', attempts: 1, claimedUntil: null });
  });

  it('works with a bearer token too, which is never shown again', async () => {
    const keys = await clientKeys();
    const clientId = await registerOnEhr(keys.jwks, ['system/*.read']);
    const token = await tokenFromEhr(keys, clientId, 'system/*.read');
    const saved = await inject(t.app, localAdmin, 'PUT', '/api/admin/ehr-connection', {
      baseUrl: `${ehr.url}/fhir`,
      patientIdentifierSystem: MRN_SYSTEM,
      auth: { kind: 'bearer', token },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain(token);
    expect(saved.json()).toMatchObject({ authKind: 'bearer', hasBearerToken: true });
    const viewed = await inject(t.app, localAdmin, 'GET', '/api/admin/ehr-connection');
    expect(viewed.body).not.toContain(token);

    const imported = await inject(
      t.app,
      f.clinician.session,
      'POST',
      `/api/consults/${appointmentId}/ehr-import`,
    );
    expect(imported.statusCode).toBe(200);
    // The note written back is SafeConsult's own and is not imported again.
    expect(imported.json<EhrImportResult>()).toMatchObject({ added: 0, unchanged: 3 });
  });

  it("follows the EHR's page links, up to the number asked for", async () => {
    await addClinicalResource(ehr.tc.ctx.store.db, ehr.tc.ctx.fields, ehrPatient, {
      resourceType: 'Condition',
      code: { coding: [{ system: SNOMED, code: '44054006', display: 'Diabetes' }] },
      subject: { reference: `Patient/${ehrPatient}` },
    });
    const client = new EhrFhirClient(
      {
        baseUrl: `${ehr.url}/fhir`,
        patientIdentifierSystem: MRN_SYSTEM,
        version: 'paging',
        kind: 'bearer',
        token: reader.token,
      },
      new EhrTokenCache(),
      () => new Date(),
    );
    // One a page: both conditions come over two pages; a limit of one stops after the first.
    const all = await client.search<Condition>('Condition', { patient: ehrPatient, _count: '1' });
    expect(all.map((c) => c.code?.coding?.[0]?.code).sort()).toEqual(['44054006', '59621000']);
    const first = await client.search('Condition', { patient: ehrPatient, _count: '1' }, 1);
    expect(first).toHaveLength(1);
  });
});
