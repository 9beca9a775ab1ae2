import { beforeAll, describe, expect, it } from 'vitest';
import {
  RECORD_SECTIONS,
  STAFF_ROLES,
  type AccessAction,
  type RecordSectionName,
  type ResourceRef,
  type StaffRole,
} from '@safeconsult/protocol';
import { decideWith, engineFor } from './access-control.js';
import { NO_FACTS, type Facts, type PatientFacts, type Principal } from './entities.js';
import type { PolicyEngine } from './policy-set/engine.js';
import { readPolicyFiles, readSchema } from './policy-set/files.js';

/**
 * The shipped policy set, decided for every role, action and situation. Each expectation is
 * written out, allows and denies alike: a policy change that moves any of them fails here.
 */
const PATIENT = '10000000-0000-4000-8000-000000000001';
const OTHER_PATIENT = '10000000-0000-4000-8000-000000000002';
const APPOINTMENT = '20000000-0000-4000-8000-000000000001';
const OTHER_APPOINTMENT = '20000000-0000-4000-8000-000000000002';
const userOf = (role: StaffRole) =>
  `30000000-0000-4000-8000-00000000000${STAFF_ROLES.indexOf(role)}`;
const OTHER_USER = '30000000-0000-4000-8000-000000000099';

type Situation = 'related' | 'consult window' | 'unrelated' | 'excluded by consent' | 'emergency';

function factsFor(situation: Situation, userId: string): PatientFacts {
  switch (situation) {
    case 'related':
      return { ...NO_FACTS, careTeam: [userId] };
    case 'consult window':
      return { ...NO_FACTS, appointmentWindow: [userId] };
    case 'unrelated':
      return NO_FACTS;
    case 'excluded by consent':
      return { ...NO_FACTS, careTeam: [userId], excludedStaff: [userId] };
    case 'emergency':
      return { ...NO_FACTS, emergencyAccess: [userId] };
  }
}

const facts = (patient: PatientFacts): Facts => ({
  patients: new Map([[PATIENT, patient]]),
  appointments: new Map([
    [APPOINTMENT, { patientId: PATIENT, clinicianId: userOf('clinician') }],
    [OTHER_APPOINTMENT, { patientId: OTHER_PATIENT, clinicianId: OTHER_USER }],
  ]),
});

const staff = (role: StaffRole): Principal => ({ kind: 'staff', userId: userOf(role), role });
const section = (name: RecordSectionName, labels?: ['PSY']): ResourceRef => ({
  type: 'RecordSection',
  patientId: PATIENT,
  section: name,
  ...(labels ? { labels } : {}),
});

let engine: PolicyEngine;
beforeAll(async () => {
  engine = engineFor(1, await readSchema(), await readPolicyFiles(), 'policies/');
});

function decide(principal: Principal, action: AccessAction, resource: ResourceRef, f: Facts) {
  return decideWith(engine, { principal, action, resource }, f).allowed ? 'allow' : 'deny';
}

const SITUATIONS: Situation[] = [
  'related',
  'consult window',
  'unrelated',
  'excluded by consent',
  'emergency',
];

/** Per role: which (action, section) pairs are allowed in each situation; all else is denied. */
const RECORD_EXPECTATIONS: Record<StaffRole, Record<Situation, string[]>> = {
  clinician: {
    related: [
      'read demographics',
      'write demographics',
      'read clinical_notes',
      'write clinical_notes',
    ],
    'consult window': [
      'read demographics',
      'write demographics',
      'read clinical_notes',
      'write clinical_notes',
    ],
    unrelated: [],
    'excluded by consent': [],
    emergency: [
      'read demographics',
      'write demographics',
      'read clinical_notes',
      'write clinical_notes',
    ],
  },
  nurse: {
    related: [
      'read demographics',
      'write demographics',
      'read clinical_notes',
      'write clinical_notes',
    ],
    'consult window': [
      'read demographics',
      'write demographics',
      'read clinical_notes',
      'write clinical_notes',
    ],
    unrelated: [],
    'excluded by consent': [],
    // Only clinicians may break the glass.
    emergency: [],
  },
  front_desk: {
    related: ['read demographics'],
    'consult window': ['read demographics'],
    unrelated: ['read demographics'],
    'excluded by consent': [],
    emergency: ['read demographics'],
  },
  admin: Object.fromEntries(SITUATIONS.map((s) => [s, []])) as unknown as Record<
    Situation,
    string[]
  >,
  security_officer: Object.fromEntries(SITUATIONS.map((s) => [s, []])) as unknown as Record<
    Situation,
    string[]
  >,
  researcher: Object.fromEntries(SITUATIONS.map((s) => [s, []])) as unknown as Record<
    Situation,
    string[]
  >,
};

describe('the permission matrix of the shipped policy', () => {
  for (const role of STAFF_ROLES) {
    for (const situation of SITUATIONS) {
      it(`${role}, ${situation}: reads and writes exactly what the policy intends`, () => {
        const f = facts(factsFor(situation, userOf(role)));
        const allowed = (['readRecord', 'writeRecord'] as const).flatMap((action) =>
          (['demographics', 'clinical_notes'] as const).flatMap((name) =>
            decide(staff(role), action, section(name), f) === 'allow'
              ? [`${action.replace('Record', '')} ${name}`]
              : [],
          ),
        );
        expect(allowed.sort()).toEqual([...RECORD_EXPECTATIONS[role][situation]].sort());
      });
    }
  }

  it('withholds labelled content the patient withheld, even from the care team and in emergencies', () => {
    for (const situation of ['related', 'emergency'] as const) {
      const f = facts({ ...factsFor(situation, userOf('clinician')), withheldLabels: ['PSY'] });
      const clinician = staff('clinician');
      expect(decide(clinician, 'readRecord', section('clinical_notes'), f)).toBe('allow');
      expect(decide(clinician, 'readRecord', section('clinical_notes', ['PSY']), f)).toBe('deny');
    }
    const notWithheld = facts({ ...NO_FACTS, careTeam: [userOf('clinician')] });
    expect(
      decide(staff('clinician'), 'readRecord', section('clinical_notes', ['PSY']), notWithheld),
    ).toBe('allow');
  });

  it('lets a patient read their own record and its access history, nothing of anyone else; companions neither', () => {
    const patient: Principal = {
      kind: 'participant',
      sessionId: 'p1',
      participantKind: 'patient',
      appointmentId: APPOINTMENT,
      patientId: PATIENT,
    };
    const companion: Principal = { ...patient, sessionId: 'c1', participantKind: 'companion' };
    const f = facts(NO_FACTS);
    const other: ResourceRef = {
      type: 'RecordSection',
      patientId: OTHER_PATIENT,
      section: 'problems',
    };
    expect(decide(patient, 'readRecord', section('problems'), f)).toBe('allow');
    expect(decide(patient, 'writeRecord', section('problems'), f)).toBe('deny');
    expect(decide(patient, 'readRecord', other, f)).toBe('deny');
    expect(decide(companion, 'readRecord', section('problems'), f)).toBe('deny');
    const own: ResourceRef = { type: 'Patient', id: PATIENT };
    const otherPatient: Principal = { ...patient, sessionId: 'p2', patientId: OTHER_PATIENT };
    expect(decide(patient, 'viewAccessHistory', own, f)).toBe('allow');
    expect(decide(companion, 'viewAccessHistory', own, f)).toBe('deny');
    expect(decide(otherPatient, 'viewAccessHistory', own, f)).toBe('deny');
    const ownConsult: ResourceRef = { type: 'Appointment', id: APPOINTMENT };
    const otherConsult: ResourceRef = { type: 'Appointment', id: OTHER_APPOINTMENT };
    for (const who of [patient, companion]) {
      expect(decide(who, 'joinConsult', ownConsult, f)).toBe('allow');
      expect(decide(who, 'joinConsult', otherConsult, f)).toBe('deny');
      // Media offers only once admitted, and only in their own room; never the host's actions.
      expect(decide(who, 'signalInConsult', ownConsult, f)).toBe('deny');
      for (const roomState of ['waiting', 'removed', 'left'] as const) {
        expect(decide({ ...who, roomState }, 'signalInConsult', ownConsult, f)).toBe('deny');
      }
      const admitted = { ...who, roomState: 'admitted' as const };
      expect(decide(admitted, 'signalInConsult', ownConsult, f)).toBe('allow');
      expect(decide(admitted, 'signalInConsult', otherConsult, f)).toBe('deny');
      expect(decide(admitted, 'admitParticipant', ownConsult, f)).toBe('deny');
      for (const action of ['chatInConsult', 'readConsultChat'] as const) {
        expect(decide(who, action, ownConsult, f)).toBe('allow');
        expect(decide(who, action, otherConsult, f)).toBe('deny');
      }
      expect(decide(admitted, 'endConsult', ownConsult, f)).toBe('deny');
    }
  });

  /** Everything that is not a record section: who may, per action and resource. */
  const OTHER_EXPECTATIONS: [AccessAction, ResourceRef, StaffRole[]][] = [
    ['viewSettings', { type: 'Settings', id: 'clinic' }, [...STAFF_ROLES]],
    ['changeSettings', { type: 'Settings', id: 'clinic' }, ['admin']],
    ['viewSettings', { type: 'Settings', id: 'sign-in-policy' }, ['admin', 'security_officer']],
    ['changeSettings', { type: 'Settings', id: 'sign-in-policy' }, ['security_officer']],
    ['viewSettings', { type: 'Settings', id: 'access-policy' }, ['admin', 'security_officer']],
    ['changeSettings', { type: 'Settings', id: 'access-policy' }, ['security_officer']],
    ['viewSettings', { type: 'Settings', id: 'outbox' }, ['admin']],
    ['viewSettings', { type: 'Settings', id: 'system-clients' }, ['admin']],
    ['changeSettings', { type: 'Settings', id: 'system-clients' }, ['admin']],
    ['viewSettings', { type: 'Settings', id: 'ehr-connection' }, ['admin']],
    ['changeSettings', { type: 'Settings', id: 'ehr-connection' }, ['admin']],
    ['viewStaff', { type: 'Directory', id: 'staff' }, ['admin', 'security_officer']],
    ['inviteStaff', { type: 'Directory', id: 'staff' }, ['admin']],
    ['manageStaffAccount', { type: 'User', id: OTHER_USER }, ['admin']],
    ['manageOwnAccount', { type: 'User', id: OTHER_USER }, []],
    [
      'findPatient',
      { type: 'Directory', id: 'patients' },
      ['security_officer', 'clinician', 'nurse', 'front_desk'],
    ],
    ['registerPatient', { type: 'Patient', id: PATIENT }, ['clinician', 'nurse', 'front_desk']],
    ['bookAppointment', { type: 'Patient', id: PATIENT }, ['clinician', 'nurse', 'front_desk']],
    ['manageAppointment', { type: 'Appointment', id: APPOINTMENT }, ['clinician', 'front_desk']],
    // The consult room is held by the consult's clinician (or the patient's care team), not the desk.
    ['joinConsult', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['signalInConsult', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['admitParticipant', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['endConsult', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['endConsult', { type: 'Appointment', id: OTHER_APPOINTMENT }, []],
    ['chatInConsult', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['readConsultChat', { type: 'Appointment', id: APPOINTMENT }, ['clinician']],
    ['readConsultChat', { type: 'Appointment', id: OTHER_APPOINTMENT }, []],
    ['manageCareTeam', { type: 'Patient', id: PATIENT }, ['front_desk']],
    ['manageConsent', { type: 'Patient', id: PATIENT }, []],
    ['assertEmergencyAccess', { type: 'Patient', id: PATIENT }, ['clinician']],
    ['reviewAccess', { type: 'Patient', id: PATIENT }, ['security_officer']],
    // A patient's own view of who reached their record; staff review it through reviewAccess.
    ['viewAccessHistory', { type: 'Patient', id: PATIENT }, []],
    ['readAudit', { type: 'AuditLog', id: 'audit-trail' }, ['security_officer']],
    ['reviewAudit', { type: 'AuditLog', id: 'emergency-access' }, ['security_officer']],
    ['readDataset', { type: 'ResearchDataset', id: 'd1', deidentified: true }, ['researcher']],
    ['readDataset', { type: 'ResearchDataset', id: 'd2', deidentified: false }, []],
    ['viewStaff', { type: 'Directory', id: 'colleagues' }, [...STAFF_ROLES]],
    ['bulkExportRecords', { type: 'Directory', id: 'patients' }, ['admin', 'researcher']],
    ['bulkExportRecords', { type: 'Directory', id: 'staff' }, []],
  ];

  for (const [action, resource, roles] of OTHER_EXPECTATIONS) {
    it(`${action} on ${resource.type} ${'id' in resource ? resource.id : ''}: only ${roles.join(', ') || 'nobody'}`, () => {
      const f = facts(NO_FACTS); // no care relationship
      const allowed = STAFF_ROLES.filter((r) => decide(staff(r), action, resource, f) === 'allow');
      expect(allowed).toEqual(roles);
    });
  }

  it('lets everyone manage their own account, and those caring for a patient manage consent', () => {
    for (const role of STAFF_ROLES) {
      expect(
        decide(
          staff(role),
          'manageOwnAccount',
          { type: 'User', id: userOf(role) },
          facts(NO_FACTS),
        ),
      ).toBe('allow');
    }
    const related = facts({ ...NO_FACTS, careTeam: [userOf('nurse')] });
    expect(decide(staff('nurse'), 'manageConsent', { type: 'Patient', id: PATIENT }, related)).toBe(
      'allow',
    );
    expect(
      decide(staff('nurse'), 'manageCareTeam', { type: 'Patient', id: PATIENT }, related),
    ).toBe('allow');
  });

  it('lets the administrator and researchers export any record section in bulk, less what consent withholds', () => {
    const exporters = (resource: ResourceRef, f: Facts) =>
      STAFF_ROLES.filter((r) => decide(staff(r), 'bulkExportRecords', resource, f) === 'allow');
    // Care relations do not matter to an export: the care team's clinician exports nothing.
    const related = facts({ ...NO_FACTS, careTeam: [userOf('clinician')] });
    expect(exporters(section('demographics'), related)).toEqual(['admin', 'researcher']);
    expect(exporters(section('clinical_notes'), related)).toEqual(['admin', 'researcher']);
    const withheld = facts({ ...NO_FACTS, withheldLabels: ['PSY'] });
    expect(exporters(section('clinical_notes'), withheld)).toEqual(['admin', 'researcher']);
    expect(exporters(section('clinical_notes', ['PSY']), withheld)).toEqual([]);
    const excluded = facts({ ...NO_FACTS, excludedStaff: [userOf('researcher')] });
    expect(exporters(section('problems'), excluded)).toEqual(['admin']);
    // Still no reading on screen.
    for (const role of ['admin', 'researcher'] as const) {
      expect(decide(staff(role), 'readRecord', section('demographics'), related)).toBe('deny');
    }
  });

  it('lets a system client reach exactly the sections its scopes name, and nothing else', () => {
    const client: Principal = {
      kind: 'client',
      clientId: '40000000-0000-4000-8000-000000000001',
      readSections: ['demographics', 'problems'],
      writeSections: ['clinical_notes'],
    };
    const f = facts(NO_FACTS); // a client is on no care team and needs none
    const decisions = RECORD_SECTIONS.flatMap((name) =>
      (['readRecord', 'writeRecord'] as const).flatMap((action) =>
        decide(client, action, section(name), f) === 'allow' ? [`${action} ${name}`] : [],
      ),
    );
    expect(decisions).toEqual([
      'readRecord demographics',
      'readRecord problems',
      'writeRecord clinical_notes',
    ]);
    expect(decide(client, 'findPatient', { type: 'Directory', id: 'patients' }, f)).toBe('allow');
    // A label the patient withholds is withheld from other systems too.
    const withheld = facts({ ...NO_FACTS, withheldLabels: ['PSY'] });
    expect(decide(client, 'readRecord', section('problems', ['PSY']), withheld)).toBe('deny');
    expect(decide(client, 'readRecord', section('problems'), withheld)).toBe('allow');
    // Beyond records: nothing (the schema does not even let a client ask most of it).
    for (const [action, resource] of OTHER_EXPECTATIONS) {
      if (action === 'findPatient') continue;
      expect(decide(client, action, resource, f)).toBe('deny');
    }
  });

  it('refuses a request the schema does not allow, such as a record action on a setting', () => {
    expect(
      decide(staff('clinician'), 'readRecord', { type: 'Settings', id: 'clinic' }, facts(NO_FACTS)),
    ).toBe('deny');
  });
});
