import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSULT_FILE_MAX_BYTES, SIGNAL_CLOSE, type ConsultChatItem } from '@safeconsult/protocol';
import { auditEntryTable } from '../audit/index.js';
import { getClinicInfo } from '../clinic/index.js';
import { listClinicalResources, type Encounter } from '../records/index.js';
import { consultFixture } from '../test-support/consult-fixture.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { SignalClient } from '../test-support/signal-client.js';
import { asSession, type HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { consultChatItem, consultRoom } from './schema.js';

const ORIGIN = 'http://localhost:3000';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of the image'),
]);

describe.each(storeTargets())('consult chat and files on %s', (target) => {
  let t: TestApp;
  let base: string;
  let f: Awaited<ReturnType<typeof consultFixture>>;

  beforeAll(async () => {
    t = await createTestApp(target, {
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: ORIGIN,
      RECORD_RETENTION_YEARS: '12',
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    base = `ws://127.0.0.1:${address.port}`;
    f = await consultFixture(t.app, t.ctx);
  });
  afterAll(() => t.close());

  async function connect(appointmentId: string, cookie: string) {
    const url = `${base}/api/consults/${appointmentId}/signal`;
    const result = await SignalClient.connect(url, { origin: ORIGIN, cookie });
    if (!('client' in result)) throw new Error(`refused with ${result.status}`);
    return result.client;
  }

  /** Clinician and patient in one room, the patient admitted; both sockets and sessions. */
  async function admittedPair() {
    const { appointmentId, patientCookie } = await f.consult();
    const clinician = await connect(appointmentId, f.clinician.session.cookie);
    const cWelcome = await clinician.take('welcome');
    const patient = await connect(appointmentId, patientCookie);
    const pWelcome = await patient.take('welcome');
    await clinician.take('state', (s) =>
      s.participants.some((p) => p.id === pWelcome.participantId),
    );
    clinician.send({ type: 'admit', participantId: pWelcome.participantId });
    await patient.take('state', (s) => s.you.state === 'admitted');
    return {
      appointmentId,
      clinician,
      patient,
      cWelcome,
      pWelcome,
      patientSession: await f.participantSession(patientCookie),
    };
  }

  const post = (s: HeldSession, appointmentId: string, text: string) =>
    asSession(t.app, s, 'POST', `/api/consults/${appointmentId}/chat`, { text });
  const upload = (
    s: HeldSession,
    appointmentId: string,
    name: string,
    body: Buffer,
    contentType = 'application/octet-stream',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/consults/${appointmentId}/files`,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        'content-type': contentType,
        'x-file-name': encodeURIComponent(name),
      },
      payload: body,
    });
  const chatOf = (s: HeldSession, appointmentId: string) =>
    asSession(t.app, s, 'GET', `/api/consults/${appointmentId}/chat`);

  const entries = (appointmentId: string, action: string) =>
    t.ctx.store.db
      .select({
        outcome: auditEntryTable.outcome,
        category: auditEntryTable.category,
        detail: auditEntryTable.detail,
      })
      .from(auditEntryTable)
      .where(
        and(
          eq(auditEntryTable.action, action),
          sql`${auditEntryTable.resource}->>'id' = ${appointmentId}`,
        ),
      );
  const storedItems = async (appointmentId: string) =>
    (
      await t.ctx.store.db
        .select({ id: consultChatItem.id })
        .from(consultChatItem)
        .where(eq(consultChatItem.appointmentId, appointmentId))
    ).length;

  it('tells everyone how each person was verified, where the record is kept, and that nothing records', async () => {
    const { clinician, patient, cWelcome, pWelcome } = await admittedPair();
    const clinic = await getClinicInfo(t.ctx.store.db);
    expect(clinic?.name).toBeTruthy();
    expect(cWelcome.storage).toEqual({ keptBy: clinic?.name, retentionYears: 12 });
    const state = await clinician.take('state', (s) =>
      s.participants.some((p) => p.id === pWelcome.participantId && p.state === 'admitted'),
    );
    expect(state.recording).toBe('unavailable');
    const byId = new Map(state.participants.map((p) => [p.id, p.verifiedBy]));
    expect(byId.get(cWelcome.participantId)).toBe('staff_password');
    expect(byId.get(pWelcome.participantId)).toBe('link_and_birth_date');
    clinician.close();
    patient.close();
  });

  it('delivers a chat message to the admitted sockets and not to the waiting room', async () => {
    const { appointmentId, clinician, patient, patientSession } = await admittedPair();
    const companionCookie = await f.join(await f.companionLink(appointmentId, 'Ana'));
    const companion = await connect(appointmentId, companionCookie);
    const waiting = await companion.take('welcome');
    await clinician.take('state', (s) =>
      s.participants.some((p) => p.id === waiting.participantId),
    );

    const res = await post(patientSession, appointmentId, 'Mir ist schwindelig.');
    expect(res.statusCode).toBe(201);
    const item = res.json<ConsultChatItem>();
    expect(item).toMatchObject({ kind: 'text', text: 'Mir ist schwindelig.' });
    expect(item.from).toMatchObject({ role: 'patient', name: null });
    expect((await clinician.take('chat')).item).toEqual(item);
    expect((await patient.take('chat')).item.id).toBe(item.id);
    // Room events reach each socket in order: by the time the lock arrives, a chat would have.
    clinician.send({ type: 'lock', locked: true });
    await companion.take('state', (s) => s.status === 'locked');
    expect(companion.has('chat')).toBe(false);

    const reply = await post(f.clinician.session, appointmentId, 'Setzen Sie sich bitte.');
    expect(reply.statusCode).toBe(201);
    const chat = await chatOf(patientSession, appointmentId);
    expect(chat.statusCode).toBe(200);
    const items = chat.json<{ items: ConsultChatItem[] }>().items;
    expect(items.map((i) => (i.kind === 'text' ? i.text : ''))).toEqual([
      'Mir ist schwindelig.',
      'Setzen Sie sich bitte.',
    ]);
    expect(items[1]!.from).toMatchObject({ role: 'clinician', name: 'Okafor' });
    // The text is encrypted at rest.
    const [raw] = await t.ctx.store.db
      .select({ text: consultChatItem.text })
      .from(consultChatItem)
      .where(eq(consultChatItem.id, item.id));
    expect(raw?.text).not.toContain('schwindelig');
    expect(await entries(appointmentId, 'chat_message_posted')).toHaveLength(2);
    for (const c of [clinician, patient, companion]) c.close();
  });

  it('refuses the waiting room, and a patient posting into another consult; each refusal recorded', async () => {
    const { appointmentId, patientCookie } = await f.consult();
    const clinician = await connect(appointmentId, f.clinician.session.cookie);
    await clinician.take('welcome');
    const patient = await connect(appointmentId, patientCookie);
    await patient.take('welcome');
    const session = await f.participantSession(patientCookie);

    const waiting = await post(session, appointmentId, 'Hallo?');
    expect(waiting.statusCode).toBe(403);
    expect(waiting.json<{ code: string }>().code).toBe('forbidden');
    expect((await chatOf(session, appointmentId)).statusCode).toBe(403);
    const refused = await entries(appointmentId, 'chat_refused');
    expect(refused.map((e) => e.detail)).toEqual([
      expect.objectContaining({ use: 'post', reason: 'participant_waiting' }),
      expect.objectContaining({ use: 'read', reason: 'participant_waiting' }),
    ]);
    expect(refused.every((e) => e.outcome === 'refused')).toBe(true);

    const other = await f.consult();
    const intruder = await post(session, other.appointmentId, 'Falsche Tür');
    expect(intruder.statusCode).toBe(403);
    const decision = await entries(other.appointmentId, 'chatInConsult');
    expect(decision).toEqual([expect.objectContaining({ category: 'access', outcome: 'refused' })]);
    expect(await storedItems(appointmentId)).toBe(0);
    expect(await storedItems(other.appointmentId)).toBe(0);
    clinician.close();
    patient.close();
  });

  it('refuses files whose content is not an accepted type or contradicts their name, and oversized ones', async () => {
    const { appointmentId, clinician, patient, patientSession } = await admittedPair();
    const html = Buffer.from('<!doctype html><script>fetch("/api/auth/session")</script>');
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]);
    for (const body of [html, elf]) {
      const res = await upload(patientSession, appointmentId, 'scan.pdf', body, 'application/pdf');
      expect(res.statusCode).toBe(415);
      const problem = res.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('file_type_not_allowed');
      expect(problem.detail).toContain('PDF, PNG, JPEG or plain text');
    }
    const big = Buffer.alloc(CONSULT_FILE_MAX_BYTES + 1, 0x41);
    const tooBig = await upload(patientSession, appointmentId, 'notes.txt', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'file_too_large',
      detail: 'A file shared in a consult may have at most 10 MiB.',
    });
    const reasons = (await entries(appointmentId, 'chat_refused')).map((e) => e.detail);
    expect(reasons).toEqual([
      expect.objectContaining({ reason: 'file_type_not_allowed', sniffed: 'text/plain' }),
      expect.objectContaining({ reason: 'file_type_not_allowed' }),
      expect.objectContaining({ reason: 'file_too_large' }),
    ]);
    expect(await storedItems(appointmentId)).toBe(0);
    expect(clinician.has('chat')).toBe(false);
    clinician.close();
    patient.close();
  });

  it('shares a file with everyone in the call and hands it out only as a download', async () => {
    const { appointmentId, clinician, patient, patientSession } = await admittedPair();
    const res = await upload(patientSession, appointmentId, '../Befund März\u202E.png', PNG);
    expect(res.statusCode).toBe(201);
    const item = res.json<ConsultChatItem>();
    if (item.kind !== 'file') throw new Error('not a file');
    expect(item.file).toMatchObject({ name: 'Befund März.png', contentType: 'image/png' });
    expect(item.file.size).toBe(PNG.length);
    expect((await clinician.take('chat')).item).toEqual(item);

    const download = await asSession(
      t.app,
      f.clinician.session,
      'GET',
      `/api/consults/${appointmentId}/files/${item.file.id}`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': "attachment; filename*=UTF-8''Befund%20M%C3%A4rz.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
    // Larger than the server's JSON body limit, well within a consult's file limit.
    const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const large = await upload(f.clinician.session, appointmentId, 'scan.pdf', scan);
    expect(large.statusCode).toBe(201);
    const missing = await asSession(
      t.app,
      f.clinician.session,
      'GET',
      `/api/consults/${appointmentId}/files/${crypto.randomUUID()}`,
    );
    expect(missing.statusCode).toBe(404);
    expect(await entries(appointmentId, 'chat_file_read')).toHaveLength(1);
    clinician.close();
    patient.close();
  });

  it('after the end: the Encounter holds the consult; patients are refused, the care team reads', async () => {
    const { appointmentId, clinician, patient, patientSession, cWelcome } = await admittedPair();
    await post(patientSession, appointmentId, 'Danke!');
    const shared = (
      await upload(patientSession, appointmentId, 'werte.txt', Buffer.from('120/80'))
    ).json<ConsultChatItem>();
    clinician.send({ type: 'end' });
    expect(await patient.closed).toBe(SIGNAL_CLOSE.ended);

    const [room] = await t.ctx.store.db
      .select({ encounterId: consultRoom.encounterId })
      .from(consultRoom)
      .where(eq(consultRoom.appointmentId, appointmentId));
    const encounters = await listClinicalResources(
      t.ctx.store.db,
      t.ctx.fields,
      f.patientId,
      'Encounter',
    );
    const encounter = encounters.find((e) => e.id === room?.encounterId) as Encounter;
    expect(encounter).toMatchObject({
      status: 'finished',
      class: { code: 'VR', display: 'virtual' },
      subject: { reference: `Patient/${f.patientId}` },
      appointment: [{ reference: `Appointment/${appointmentId}` }],
    });
    expect(encounter.participant).toEqual([
      expect.objectContaining({
        individual: { reference: `Practitioner/${f.clinician.id}`, display: 'Okafor' },
      }),
    ]);
    expect(Date.parse(encounter.period!.start!)).toBeLessThanOrEqual(
      Date.parse(encounter.period!.end!),
    );
    const [ended] = await entries(appointmentId, 'consult_ended');
    expect(ended?.detail).toMatchObject({ encounterId: room?.encounterId });
    expect(cWelcome.role).toBe('clinician');

    expect((await chatOf(patientSession, appointmentId)).statusCode).toBe(401);
    expect((await post(patientSession, appointmentId, 'Noch was')).statusCode).toBe(401);
    const read = await chatOf(f.clinician.session, appointmentId);
    expect(read.statusCode).toBe(200);
    expect(read.json<{ items: ConsultChatItem[] }>().items).toHaveLength(2);
    const posted = await post(f.clinician.session, appointmentId, 'Zu spät');
    expect(posted.statusCode).toBe(409);
    if (shared.kind !== 'file') throw new Error('not a file');
    const fileUrl = `/api/consults/${appointmentId}/files/${shared.file.id}`;
    expect((await asSession(t.app, f.clinician.session, 'GET', fileUrl)).statusCode).toBe(200);

    const outsider = await f.staff('clinician', 'Brandt');
    expect((await chatOf(outsider.session, appointmentId)).statusCode).toBe(403);
    expect((await asSession(t.app, outsider.session, 'GET', fileUrl)).statusCode).toBe(403);
    const decisions = await entries(appointmentId, 'readConsultChat');
    expect(decisions.filter((d) => d.outcome === 'refused')).toHaveLength(2);
    expect(await storedItems(appointmentId)).toBe(2);
    clinician.close();
  });

  it('lets host actions that change nothing pass without news or ledger entries', async () => {
    const { appointmentId, clinician, patient, pWelcome } = await admittedPair();
    clinician.send({ type: 'lock', locked: true });
    await patient.take('state', (s) => s.status === 'locked');
    while (patient.has('state')) await patient.take('state');
    // Admitting someone already in, locking a locked room: nothing changes.
    clinician.send({ type: 'admit', participantId: pWelcome.participantId });
    clinician.send({ type: 'lock', locked: true });
    clinician.send({ type: 'lock', locked: false });
    await patient.take('state', (s) => s.status === 'open');
    expect(patient.has('state')).toBe(false);
    expect(await entries(appointmentId, 'participant_admitted')).toHaveLength(1);
    expect(await entries(appointmentId, 'room_locked')).toHaveLength(1);
    expect(await entries(appointmentId, 'room_unlocked')).toHaveLength(1);
    clinician.close();
    patient.close();
  });
  // Last: it signs the fixture's clinician out.
  it('closes the socket when its session ends mid-call, without a message on it', async () => {
    const { clinician, patient, patientSession } = await admittedPair();
    // The node's watch asks about every open socket's session every 10 s; both sockets stay idle.
    const left = await asSession(t.app, patientSession, 'POST', '/api/join/leave');
    expect(left.statusCode).toBe(204);
    const signOut = await asSession(t.app, f.clinician.session, 'POST', '/api/auth/sign-out');
    expect(signOut.statusCode).toBe(204);
    expect(await Promise.all([patient.closed, clinician.closed])).toEqual([
      SIGNAL_CLOSE.sessionEnded,
      SIGNAL_CLOSE.sessionEnded,
    ]);
  });
});
