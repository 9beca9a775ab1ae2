import { and, eq } from 'drizzle-orm';
import type { ConsultNote } from '@safeconsult/protocol';
import { appendAuditEntries } from '../../audit/index.js';
import type { AppContext } from '../../context.js';
import { staffUserTable } from '../../identity/index.js';
import type { FieldProtection } from '../../platform/crypto/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError } from '../../platform/http/index.js';
import {
  addClinicalResource,
  listClinicalResources,
  readClinicalResource,
  updateClinicalResource,
  type DocumentReference,
  type Encounter,
} from '../../records/index.js';
import { consultEntry, type Entrant } from '../room/room-store.js';
import { appointment, consultRoom } from '../schema.js';

const LOINC = 'http://loinc.org';
/** LOINC 11488-4, "Consult note". */
const CONSULT_NOTE_TYPE = {
  coding: [{ system: LOINC, code: '11488-4', display: 'Consult note' }],
  text: 'Consult note',
};

export interface NewNote {
  appointmentId: string;
  patientId: string;
  text: string;
  author: Entrant & { kind: 'staff' };
}

/**
 * The consult's room, locked for the transaction, so that two notes written at once on one
 * consult are filed one after the other and the second replaces the first.
 */
async function lockEndedConsult(tx: Queryable, appointmentId: string, patientId: string) {
  const [row] = await tx
    .select({ status: consultRoom.status, encounterId: consultRoom.encounterId })
    .from(consultRoom)
    .innerJoin(appointment, eq(appointment.id, consultRoom.appointmentId))
    .where(and(eq(consultRoom.appointmentId, appointmentId), eq(appointment.patientId, patientId)))
    .for('update', { of: consultRoom });
  // A consult of another patient is answered as one that does not exist: the caller was allowed
  // to write only the named patient's record.
  const [booked] = row
    ? [row]
    : await tx
        .select({ id: appointment.id })
        .from(appointment)
        .where(and(eq(appointment.id, appointmentId), eq(appointment.patientId, patientId)));
  if (!booked) throw new AppError('not_found', 'This patient has no such consult.');
  if (row?.status !== 'ended' || !row.encounterId) {
    throw new AppError('conflict', 'The note is written once the consult has ended.');
  }
  return row.encounterId;
}

const encounterRef = (id: string) => `Encounter/${id}`;

/** The consult note in force on an encounter: the current DocumentReference in its context. */
async function currentNoteOf(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  encounterId: string,
): Promise<(DocumentReference & { id: string }) | undefined> {
  const documents = await listClinicalResources(db, fields, patientId, 'DocumentReference');
  return documents.find(
    (d): d is DocumentReference & { id: string } =>
      d.resourceType === 'DocumentReference' &&
      d.status === 'current' &&
      d.context?.encounter?.some((e) => e.reference === encounterRef(encounterId)) === true,
  );
}

/**
 * An ended consult of the patient with its Encounter and its note in force, or nothing: what can
 * be written back to an EHR.
 */
export async function writtenUpConsult(
  db: Queryable,
  fields: FieldProtection,
  appointmentId: string,
  patientId: string,
) {
  const [row] = await db
    .select({ status: consultRoom.status, encounterId: consultRoom.encounterId })
    .from(consultRoom)
    .innerJoin(appointment, eq(appointment.id, consultRoom.appointmentId))
    .where(and(eq(consultRoom.appointmentId, appointmentId), eq(appointment.patientId, patientId)));
  if (row?.status !== 'ended' || !row.encounterId) return undefined;
  const encounter = await readClinicalResource<Encounter>(
    db,
    fields,
    patientId,
    'Encounter',
    row.encounterId,
  );
  const note = await currentNoteOf(db, fields, patientId, row.encounterId);
  return encounter?.id && note
    ? { encounter: { ...encounter, id: encounter.id }, note }
    : undefined;
}

/** The DocumentReference of a consult note, its text as UTF-8 plain text. */
function consultNoteDocument(
  note: NewNote,
  authorName: string,
  encounter: Encounter | undefined,
  encounterId: string,
  replaces: string | undefined,
  now: Date,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'final',
    type: CONSULT_NOTE_TYPE,
    subject: { reference: `Patient/${note.patientId}` },
    date: now.toISOString(),
    author: [{ reference: `Practitioner/${note.author.userId}`, display: authorName }],
    ...(replaces
      ? {
          relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${replaces}` } }],
        }
      : {}),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(note.text, 'utf8').toString('base64'),
          title: 'Consult note',
          creation: now.toISOString(),
        },
      },
    ],
    context: {
      encounter: [{ reference: encounterRef(encounterId) }],
      ...(encounter?.period ? { period: encounter.period } : {}),
    },
  };
}

/**
 * Files the note on an ended consult in the caller's transaction: a DocumentReference linked to
 * the consult's Encounter, authored by the caller. A later note on the same consult replaces the
 * current one (which becomes `superseded` and stays in the record), so the record keeps every
 * version and shows one. The ledger gets a `consult_note_written` entry beside it.
 */
export async function writeConsultNote(
  ctx: AppContext,
  tx: Queryable,
  note: NewNote,
): Promise<ConsultNote> {
  const now = ctx.now();
  const encounterId = await lockEndedConsult(tx, note.appointmentId, note.patientId);
  const [author] = await tx
    .select({ name: staffUserTable.displayName })
    .from(staffUserTable)
    .where(eq(staffUserTable.id, note.author.userId));
  const encounter = await readClinicalResource<Encounter>(
    tx,
    ctx.fields,
    note.patientId,
    'Encounter',
    encounterId,
  );
  const previous = await currentNoteOf(tx, ctx.fields, note.patientId, encounterId);
  if (previous) {
    await updateClinicalResource(
      tx,
      ctx.fields,
      note.patientId,
      { ...previous, status: 'superseded' },
      now,
    );
  }
  const document = consultNoteDocument(
    note,
    author?.name ?? '',
    encounter,
    encounterId,
    previous?.id,
    now,
  );
  const id = await addClinicalResource(tx, ctx.fields, note.patientId, document, now);
  await appendAuditEntries(tx, [
    consultEntry(now, 'consult_note_written', note.author, note.patientId, note.appointmentId, {
      documentReferenceId: id,
      encounterId,
      ...(previous?.id ? { replaces: previous.id } : {}),
    }),
  ]);
  return {
    documentReferenceId: id,
    encounterId,
    replaces: previous?.id ?? null,
    date: now.toISOString(),
  };
}
