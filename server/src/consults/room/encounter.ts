import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { addClinicalResource, type Encounter } from '../../records/index.js';
import type { RoomSnapshot } from './room-store.js';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

/** The consult's clinician performed it; anyone else took part. */
const participation = (code: 'PPRF' | 'PART', text?: string) => [
  {
    coding: [
      {
        system: PARTICIPATION_TYPE,
        code,
        display: code === 'PPRF' ? 'primary performer' : 'Participation',
      },
    ],
    ...(text ? { text } : {}),
  },
];

/**
 * The FHIR R4 Encounter of a consult that ends now: a finished virtual contact with the patient,
 * naming the staff (as Practitioner references) and companions who were let in, from the first
 * admission to the end. The patient is the subject, not a participant.
 */
function consultEncounter(snapshot: RoomSnapshot, now: Date): Encounter {
  const admitted = snapshot.members.filter((m) => m.admittedAt !== null);
  const firstAdmission = Math.min(now.getTime(), ...admitted.map((m) => m.admittedAt!.getTime()));
  type Participant = NonNullable<Encounter['participant']>[number];
  const participant = admitted.flatMap((m): Participant[] => {
    if (m.staffUserId !== null) {
      return [
        {
          type: participation(m.role === 'clinician' ? 'PPRF' : 'PART'),
          individual: {
            reference: `Practitioner/${m.staffUserId}`,
            ...(m.view.name ? { display: m.view.name } : {}),
          },
        },
      ];
    }
    if (m.role !== 'companion') return [];
    return [
      {
        type: participation('PART', m.view.relationship ?? undefined),
        individual: { display: m.view.name ?? 'Companion' },
      },
    ];
  });
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: ACT_CODE, code: 'VR', display: 'virtual' },
    subject: { reference: `Patient/${snapshot.patientId}` },
    participant,
    appointment: [{ reference: `Appointment/${snapshot.appointmentId}` }],
    period: { start: new Date(firstAdmission).toISOString(), end: now.toISOString() },
  };
}

/** Adds the consult's Encounter to the patient's record, in the caller's transaction; its id. */
export function recordEncounter(
  ctx: AppContext,
  tx: Queryable,
  snapshot: RoomSnapshot,
  now: Date,
): Promise<string> {
  return addClinicalResource(tx, ctx.fields, snapshot.patientId, consultEncounter(snapshot, now));
}
