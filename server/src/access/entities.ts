import {
  ADMINISTRATIVE_SECTIONS,
  type RecordSectionName,
  type ResourceRef,
  type StaffRole,
} from '@safeconsult/protocol';
import { uid, type Entity, type EntityUid } from './policy-set/engine.js';

/**
 * Who asks: a member of staff, a patient or companion in a consult, or a registered system client
 * with the record sections its access token's scopes reach.
 */
export type Principal =
  | { kind: 'staff'; userId: string; role: StaffRole }
  | {
      kind: 'client';
      clientId: string;
      readSections: readonly RecordSectionName[];
      writeSections: readonly RecordSectionName[];
    }
  | {
      kind: 'participant';
      sessionId: string;
      participantKind: 'patient' | 'companion';
      appointmentId: string;
      patientId: string;
      /** Where they are in the consult room, for realtime messages; absent on HTTP routes. */
      roomState?: 'waiting' | 'admitted' | 'removed' | 'left';
    };

/** What decides who reaches a patient, as it stands at the moment of the request. */
export interface PatientFacts {
  careTeam: string[];
  appointmentWindow: string[];
  emergencyAccess: string[];
  excludedStaff: string[];
  withheldLabels: string[];
}

export interface AppointmentFacts {
  patientId: string;
  clinicianId: string;
}

/** The facts a resource needs; loaded for many requests at once by `facts.ts`. */
export interface Facts {
  patients: ReadonlyMap<string, PatientFacts>;
  appointments: ReadonlyMap<string, AppointmentFacts>;
}

export const NO_FACTS: PatientFacts = {
  careTeam: [],
  appointmentWindow: [],
  emergencyAccess: [],
  excludedStaff: [],
  withheldLabels: [],
};

const user = (id: string) => uid('User', id);
const patient = (id: string) => uid('Patient', id);
const users = (ids: string[]) => ids.map((id) => ({ __entity: user(id) }));

export function principalUid(principal: Principal): EntityUid {
  switch (principal.kind) {
    case 'staff':
      return user(principal.userId);
    case 'client':
      return uid('SystemClient', principal.clientId);
    case 'participant':
      return uid('Participant', principal.sessionId);
  }
}

function principalEntity(principal: Principal): Entity {
  if (principal.kind === 'staff') {
    return { uid: user(principal.userId), attrs: {}, parents: [uid('Role', principal.role)] };
  }
  if (principal.kind === 'client') {
    return {
      uid: principalUid(principal),
      attrs: {
        readSections: [...principal.readSections],
        writeSections: [...principal.writeSections],
      },
      parents: [],
    };
  }
  return {
    uid: principalUid(principal),
    attrs: {
      kind: principal.participantKind,
      appointment: { __entity: uid('Appointment', principal.appointmentId) },
      patient: { __entity: patient(principal.patientId) },
      ...(principal.roomState ? { roomState: principal.roomState } : {}),
    },
    parents: [],
  };
}

function patientEntity(id: string, facts: PatientFacts | undefined): Entity {
  const f = facts ?? NO_FACTS;
  return {
    uid: patient(id),
    attrs: {
      careTeam: users(f.careTeam),
      appointmentWindow: users(f.appointmentWindow),
      emergencyAccess: users(f.emergencyAccess),
      excludedStaff: users(f.excludedStaff),
      withheldLabels: f.withheldLabels,
    },
    parents: [],
  };
}

const isAdministrative = (section: RecordSectionName) =>
  (ADMINISTRATIVE_SECTIONS as readonly string[]).includes(section);

/** A section kind inside its group ("administrative" or "clinical"): what `resource in` reads. */
function sectionEntities(section: RecordSectionName): Entity[] {
  const group = uid('Section', isAdministrative(section) ? 'administrative' : 'clinical');
  return [
    { uid: uid('Section', section), attrs: {}, parents: [group] },
    { uid: group, attrs: {}, parents: [] },
  ];
}

/** The patient a resource belongs to, if any: what the facts are loaded for. */
export function patientOf(ref: ResourceRef, facts?: Facts): string | undefined {
  switch (ref.type) {
    case 'RecordSection':
      return ref.patientId;
    case 'Patient':
      return ref.id;
    case 'Appointment':
      return facts?.appointments.get(ref.id)?.patientId;
    case 'User':
    case 'Settings':
    case 'Directory':
    case 'AuditLog':
    case 'ResearchDataset':
      return undefined;
  }
}

export function resourceUid(ref: ResourceRef): EntityUid {
  switch (ref.type) {
    case 'RecordSection': {
      const labels = [...(ref.labels ?? [])].sort();
      const suffix = labels.length > 0 ? `#${labels.join(',')}` : '';
      return uid('RecordSection', `${ref.patientId}/${ref.section}${suffix}`);
    }
    case 'Patient':
      return patient(ref.id);
    case 'Appointment':
    case 'User':
    case 'Settings':
    case 'Directory':
    case 'AuditLog':
    case 'ResearchDataset':
      return uid(ref.type, ref.id);
  }
}

function resourceEntities(ref: ResourceRef, facts: Facts): Entity[] {
  const patientId = patientOf(ref, facts);
  const withPatient = patientId ? [patientEntity(patientId, facts.patients.get(patientId))] : [];
  switch (ref.type) {
    case 'RecordSection':
      return [
        {
          uid: resourceUid(ref),
          attrs: {
            patient: { __entity: patient(ref.patientId) },
            section: ref.section,
            labels: ref.labels ?? [],
          },
          parents: [patient(ref.patientId), uid('Section', ref.section)],
        },
        ...withPatient,
        ...sectionEntities(ref.section),
      ];
    case 'Patient':
      return withPatient;
    case 'Appointment': {
      const appointment = facts.appointments.get(ref.id);
      if (!appointment) return [];
      return [
        {
          uid: resourceUid(ref),
          attrs: {
            patient: { __entity: patient(appointment.patientId) },
            clinician: { __entity: user(appointment.clinicianId) },
          },
          parents: [patient(appointment.patientId)],
        },
        ...withPatient,
      ];
    }
    case 'ResearchDataset':
      return [{ uid: resourceUid(ref), attrs: { deidentified: ref.deidentified }, parents: [] }];
    case 'User':
    case 'Settings':
    case 'Directory':
    case 'AuditLog':
      return [{ uid: resourceUid(ref), attrs: {}, parents: [] }];
  }
}

/**
 * The entities Cedar needs to decide one request: the principal, the resource and what the
 * resource's attributes point to. An entity mentioned twice (a user acting on their own account)
 * is given once, as the principal.
 */
export function entitiesFor(principal: Principal, ref: ResourceRef, facts: Facts): Entity[] {
  const first = principalEntity(principal);
  const key = (e: Entity) => `${e.uid.type}/${e.uid.id}`;
  const seen = new Set([key(first)]);
  const rest = resourceEntities(ref, facts).filter((e) => !seen.has(key(e)) && seen.add(key(e)));
  return [first, ...rest];
}
