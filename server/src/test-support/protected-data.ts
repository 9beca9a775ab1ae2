import { randomUUID } from 'node:crypto';
import { bulkExportDeps } from '../app.js';
import type { AppContext } from '../context.js';
import { bookAppointment } from '../consults/index.js';
import { postFile, postText, useChat } from '../consults/chat/chat-store.js';
import { issueInvitation } from '../consults/invitations.js';
import { enterRoom, type Entrant } from '../consults/room/room-store.js';
import { DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from '../demo/index.js';
import { saveConnection } from '../ehr/connection.js';
import { addClinicalResource, MRN_SYSTEM } from '../records/index.js';
import { STORED_TYPES } from '../records/fhir/definitions.js';
import { claimJob, insertJob } from '../records/fhir/bulk-export/jobs.js';
import { runExportJob } from '../records/fhir/bulk-export/run-job.js';

/** Clinical free text written through the services, beside the demo clinic's records. */
export const CONSULT_TEXTS = {
  reason: 'Follow-up of the tinnitus that began after the ear infection in March',
  note: 'Dizziness on waking, worse when turning in bed; suspect benign positional vertigo',
  companion: 'Henrike Vogelsang',
  chat: 'The rash on my left forearm has spread since Tuesday',
  fileName: 'forearm-rash-photo.png',
  fileContent: 'Photo notes: erythema, 4 cm, left forearm',
} as const;

/** A secret of the clinic's, not a patient's: the EHR connection's bearer token, sealed all the same. */
export const EHR_BEARER_TOKEN = 'sandbox bearer token of the EHR 5f2c';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Seeds the demo clinic, then books a consult with a reason, invites a companion by name, adds
 * a clinical note, exports every record in bulk and connects an EHR with a bearer token, all through the product's own services. Returns every value that identifies
 * a demo patient or says something clinical: none of them may be stored in clear.
 */
export async function seedProtectedData(ctx: AppContext): Promise<string[]> {
  await seedDemoClinic(ctx);
  const [maria] = DEMO_PATIENTS;
  const clinician = DEMO_STAFF.find((s) => s.role === 'clinician');
  const frontDesk = DEMO_STAFF.find((s) => s.role === 'front_desk');
  const patientId = maria?.patient.id;
  if (!patientId || !clinician || !frontDesk) throw new Error('the demo clinic lost its people');
  const booked = await bookAppointment(
    ctx,
    {
      patientId,
      clinicianId: clinician.id,
      startsAt: new Date(ctx.now().getTime() + 86_400_000),
      durationMinutes: 20,
      reason: CONSULT_TEXTS.reason,
    },
    frontDesk.id,
  );
  await ctx.store.db.transaction((tx) =>
    issueInvitation(ctx, tx, {
      appointmentId: booked.id,
      kind: 'companion',
      email: 'companion@mail.example',
      companion: { name: CONSULT_TEXTS.companion, relationship: 'daughter' },
    }),
  );
  // The clinician enters the consult's room and writes in its chat, and shares a file.
  const staff: Entrant = {
    kind: 'staff',
    userId: clinician.id,
    role: 'clinician',
    verifiedBy: 'staff_password',
  };
  await enterRoom(ctx, booked.id, staff, 'fixture-connection');
  const request = { id: 'fixture-request', ip: '127.0.0.1' };
  await useChat(ctx, booked.id, staff, 'post', request, (place) =>
    postText(place, CONSULT_TEXTS.chat),
  );
  await useChat(ctx, booked.id, staff, 'post', request, (place) =>
    postFile(place, {
      name: CONSULT_TEXTS.fileName,
      contentType: 'image/png',
      // Not UTF-8 (a PNG's signature): re-sealing must keep the bytes, not a decoding of them.
      content: Buffer.concat([PNG_SIGNATURE, Buffer.from(CONSULT_TEXTS.fileContent)]),
    }),
  );
  await addClinicalResource(ctx.store.db, ctx.fields, patientId, {
    resourceType: 'Condition',
    subject: { reference: `Patient/${patientId}` },
    code: { text: CONSULT_TEXTS.note },
  });
  await bulkExportEverything(ctx);
  await saveConnection(
    ctx.store.db,
    ctx.fields,
    {
      baseUrl: 'https://ehr.example/fhir',
      patientIdentifierSystem: MRN_SYSTEM,
      auth: { kind: 'bearer', token: EHR_BEARER_TOKEN },
    },
    frontDesk.id,
    ctx.now(),
  );
  return [
    ...Object.values(CONSULT_TEXTS),
    ...DEMO_PATIENTS.flatMap(identifyingValues),
    EHR_BEARER_TOKEN,
  ];
}

/** The researcher's bulk export of every record, run to completion: its files hold all of it. */
async function bulkExportEverything(ctx: AppContext): Promise<void> {
  const researcher = DEMO_STAFF.find((s) => s.role === 'researcher');
  if (!researcher) throw new Error('the demo clinic lost its researcher');
  const now = ctx.now();
  await insertJob(ctx.store.db, {
    id: randomUUID(),
    requesterId: researcher.id,
    state: 'in-progress',
    request: `${ctx.config.publicUrl}/fhir/Patient/$export`,
    types: [...STORED_TYPES],
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.config.bulkExportRetentionMs),
  });
  const job = await claimJob(ctx.store.db, now, 60_000);
  if (!job) throw new Error('the export job was not claimed');
  await runExportJob(ctx, bulkExportDeps, job, 60_000, () => false);
}

function identifyingValues({ patient, records }: (typeof DEMO_PATIENTS)[number]): string[] {
  const values = [
    ...(patient.name ?? []).flatMap((n) => [n.family, ...(n.given ?? [])]),
    patient.birthDate,
    ...(patient.identifier ?? []).map((i) => i.value),
    ...(patient.telecom ?? []).map((t) => t.value),
    ...(patient.address ?? []).flatMap((a) => [...(a.line ?? []), a.postalCode]),
    ...records('Patient/x', () => '2026-01-01').flatMap((r) =>
      r.resourceType === 'MedicationStatement' ? (r.dosage ?? []).map((d) => d.text) : [],
    ),
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}
