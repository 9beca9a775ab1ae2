import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSULT_NOTE_MAX_CHARS,
  SIGNAL_CLOSE,
  type Appointment,
  type ConsultNote,
  type RecordSectionView,
} from '@safeconsult/protocol';
import { auditEntryTable } from '../audit/index.js';
import { listClinicalResources, type DocumentReference } from '../records/index.js';
import { clinicalResource } from '../records/schema.js';
import { consultFixture } from '../test-support/consult-fixture.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { SignalClient } from '../test-support/signal-client.js';
import { asSession, type HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { consultRoom } from './schema.js';

const ORIGIN = 'http://localhost:3000';
const NOTE = 'Blood pressure improving on ramipril. Continue; review in four weeks. Grüße.';

describe.each(storeTargets())('the consult note on %s', (target) => {
  let t: TestApp;
  let base: string;
  let f: Awaited<ReturnType<typeof consultFixture>>;

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none', PUBLIC_URL: ORIGIN });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    base = `ws://127.0.0.1:${address.port}`;
    f = await consultFixture(t.app, t.ctx);
  });
  afterAll(() => t.close());

  /** A consult whose clinician has entered the room (the patient joined by link, not the room). */
  async function openConsult() {
    const { appointmentId } = await f.consult();
    const result = await SignalClient.connect(`${base}/api/consults/${appointmentId}/signal`, {
      origin: ORIGIN,
      cookie: f.clinician.session.cookie,
    });
    if (!('client' in result)) throw new Error(`refused with ${result.status}`);
    await result.client.take('welcome');
    return { appointmentId, clinician: result.client };
  }

  async function endedConsult() {
    const { appointmentId, clinician } = await openConsult();
    clinician.send({ type: 'end' });
    expect(await clinician.closed).toBe(SIGNAL_CLOSE.ended);
    const [room] = await t.ctx.store.db
      .select({ encounterId: consultRoom.encounterId })
      .from(consultRoom)
      .where(eq(consultRoom.appointmentId, appointmentId));
    if (!room?.encounterId) throw new Error('the consult has no Encounter');
    return { appointmentId, encounterId: room.encounterId };
  }

  const writeNote = (
    s: HeldSession,
    appointmentId: string,
    text: string,
    patientId = f.patientId,
  ) => asSession(t.app, s, 'POST', `/api/consults/${appointmentId}/note`, { patientId, text });

  const notes = async () =>
    (await listClinicalResources(
      t.ctx.store.db,
      t.ctx.fields,
      f.patientId,
      'DocumentReference',
    )) as DocumentReference[];

  const ledger = (action: string, actorId: string) =>
    t.ctx.store.db
      .select({
        category: auditEntryTable.category,
        outcome: auditEntryTable.outcome,
        patientId: auditEntryTable.patientId,
        resource: auditEntryTable.resource,
        detail: auditEntryTable.detail,
      })
      .from(auditEntryTable)
      .where(and(eq(auditEntryTable.action, action), eq(auditEntryTable.actorId, actorId)));

  it('gives the consult, with its patient, to its clinician and to nobody unrelated', async () => {
    const { appointmentId } = await f.consult();
    const mine = await asSession(
      t.app,
      f.clinician.session,
      'GET',
      `/api/appointments/${appointmentId}`,
    );
    expect(mine.statusCode).toBe(200);
    expect(mine.json<Appointment>()).toEqual({
      id: appointmentId,
      patientId: f.patientId,
      clinician: { id: f.clinician.id, displayName: 'Okafor' },
      startsAt: expect.any(String) as string,
      durationMinutes: 30,
      status: 'scheduled',
    });
    const stranger = await f.staff('clinician', 'Weber');
    const refused = await asSession(
      t.app,
      stranger.session,
      'GET',
      `/api/appointments/${appointmentId}`,
    );
    expect(refused.statusCode).toBe(404);
  });

  it('files the note as a DocumentReference on the Encounter, encrypted, with its ledger entries', async () => {
    const { appointmentId, encounterId } = await endedConsult();
    const res = await writeNote(f.clinician.session, appointmentId, `  ${NOTE}\n`);
    expect(res.statusCode).toBe(201);
    const filed = res.json<ConsultNote>();
    expect(filed).toMatchObject({ encounterId, replaces: null });

    const document = (await notes()).find((d) => d.id === filed.documentReferenceId);
    expect(document).toEqual({
      resourceType: 'DocumentReference',
      id: filed.documentReferenceId,
      status: 'current',
      docStatus: 'final',
      type: {
        coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }],
        text: 'Consult note',
      },
      subject: { reference: `Patient/${f.patientId}` },
      date: filed.date,
      author: [{ reference: `Practitioner/${f.clinician.id}`, display: 'Okafor' }],
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: Buffer.from(NOTE, 'utf8').toString('base64'),
            title: 'Consult note',
            creation: filed.date,
          },
        },
      ],
      context: {
        encounter: [{ reference: `Encounter/${encounterId}` }],
        period: { start: expect.any(String) as string, end: expect.any(String) as string },
      },
    });

    // At rest, neither the text nor its base64 is readable.
    const [row] = await t.ctx.store.db
      .select({ resource: clinicalResource.resource })
      .from(clinicalResource)
      .where(eq(clinicalResource.id, filed.documentReferenceId));
    expect(row?.resource).toMatch(/^v1\./);
    expect(row?.resource).not.toContain('ramipril');
    expect(row?.resource).not.toContain(Buffer.from(NOTE).toString('base64').slice(0, 20));

    // The chart's clinical notes hold the note beside its Encounter.
    const section = await asSession(
      t.app,
      f.clinician.session,
      'GET',
      `/api/patients/${f.patientId}/sections/clinical_notes`,
    );
    const items = section.json<RecordSectionView>().items;
    expect(items.map((i) => i.id)).toEqual(
      expect.arrayContaining([encounterId, filed.documentReferenceId]),
    );

    const decisions = await ledger('writeRecord', f.clinician.id);
    expect(decisions).toContainEqual(
      expect.objectContaining({
        category: 'access',
        outcome: 'allowed',
        patientId: f.patientId,
        resource: { type: 'RecordSection', patientId: f.patientId, section: 'clinical_notes' },
      }),
    );
    const written = await ledger('consult_note_written', f.clinician.id);
    expect(written).toEqual([
      expect.objectContaining({
        category: 'consult',
        outcome: 'succeeded',
        patientId: f.patientId,
        detail: {
          appointmentId,
          documentReferenceId: filed.documentReferenceId,
          encounterId,
        },
      }),
    ]);
    expect(JSON.stringify(written)).not.toContain('ramipril');
  });

  it('a second note replaces the first, which stays in the record as superseded', async () => {
    const { appointmentId, encounterId } = await endedConsult();
    const first = (
      await writeNote(f.clinician.session, appointmentId, 'First draft')
    ).json<ConsultNote>();
    const res = await writeNote(f.clinician.session, appointmentId, 'Corrected note');
    expect(res.statusCode).toBe(201);
    const second = res.json<ConsultNote>();
    expect(second).toMatchObject({ encounterId, replaces: first.documentReferenceId });
    const byId = new Map((await notes()).map((d) => [d.id, d]));
    expect(byId.get(first.documentReferenceId)?.status).toBe('superseded');
    expect(byId.get(second.documentReferenceId)).toMatchObject({
      status: 'current',
      relatesTo: [
        {
          code: 'replaces',
          target: { reference: `DocumentReference/${first.documentReferenceId}` },
        },
      ],
    });
  });

  it('refuses a note before the consult has ended, and on a consult never entered', async () => {
    const before = await notes();
    const { appointmentId, clinician } = await openConsult();
    const open = await writeNote(f.clinician.session, appointmentId, NOTE);
    expect(open.statusCode).toBe(409);
    expect(open.json<{ code: string }>().code).toBe('conflict');
    clinician.close();
    const { appointmentId: booked } = await f.consult();
    expect((await writeNote(f.clinician.session, booked, NOTE)).statusCode).toBe(409);
    expect(await notes()).toHaveLength(before.length);
  });

  it('refuses a clinician outside the care team, and records the refusal', async () => {
    const { appointmentId } = await endedConsult();
    const before = await notes();
    const stranger = await f.staff('clinician', 'Novak');
    const res = await writeNote(stranger.session, appointmentId, NOTE);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('ramipril');
    expect(await notes()).toHaveLength(before.length);
    expect(await ledger('writeRecord', stranger.id)).toEqual([
      expect.objectContaining({ category: 'access', outcome: 'refused', patientId: f.patientId }),
    ]);
    expect(await ledger('consult_note_written', stranger.id)).toEqual([]);
  });

  it('refuses an empty or oversized note, and a consult of another patient, changing nothing', async () => {
    const { appointmentId } = await endedConsult();
    const before = await notes();
    for (const text of ['', '   \n ', 'x'.repeat(CONSULT_NOTE_MAX_CHARS + 1)]) {
      const res = await writeNote(f.clinician.session, appointmentId, text);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('validation_failed');
    }
    expect(
      (await writeNote(f.clinician.session, appointmentId, 'x'.repeat(CONSULT_NOTE_MAX_CHARS)))
        .statusCode,
    ).toBe(201);
    // The clinician may write the other patient's record (booked with them too), but this consult
    // is not theirs: it is answered as missing.
    const other = await consultFixture(t.app, t.ctx);
    await asSession(t.app, f.clinician.session, 'POST', '/api/appointments', {
      patientId: other.patientId,
      clinicianId: f.clinician.id,
      startsAt: new Date(Date.now() + 60 * 60_000).toISOString(),
      durationMinutes: 15,
    });
    const mismatch = await writeNote(f.clinician.session, appointmentId, NOTE, other.patientId);
    expect(mismatch.statusCode).toBe(404);
    expect(await notes()).toHaveLength(before.length + 1);
  });
});
