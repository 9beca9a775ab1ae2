import { describe, expect, it } from 'vitest';
import {
  ACCESS_ACTIONS,
  AUDIT_OUTCOMES,
  SECURITY_EVENT_TYPES,
  type AuditCategory,
} from '@safeconsult/protocol';
import { auditEventProblems } from '../../test-support/fhir-audit-event.js';
import type { AuditEntryRow } from '../ledger/entry.js';
import { toAuditEvent } from './audit-event.js';

const PATIENT = '10000000-0000-4000-8000-000000000001';
const STAFF = '30000000-0000-4000-8000-000000000002';
const observer = {
  publicUrl: 'https://consult.clinic.example',
  staffNames: new Map([[STAFF, 'Dr. Amara Okafor']]),
};

let sequence = 0;
function row(overrides: Partial<AuditEntryRow> & { category: AuditCategory }): AuditEntryRow {
  sequence += 1;
  return {
    id: sequence,
    sequence,
    leafHash: Buffer.alloc(32, sequence),
    at: new Date('2026-11-25T09:15:00.123Z'),
    action: 'readRecord',
    outcome: 'allowed',
    actorType: 'staff',
    actorId: STAFF,
    actorRole: 'clinician',
    actorLabel: null,
    subjectUserId: null,
    patientId: null,
    resource: null,
    policies: null,
    policyVersion: null,
    requestId: 'req-1',
    address: '192.0.2.7',
    detail: null,
    ...overrides,
  };
}

/** Every kind of entry the ledger holds: each access action and outcome, each security event … */
const ROWS: AuditEntryRow[] = [
  ...ACCESS_ACTIONS.flatMap((action) =>
    AUDIT_OUTCOMES.slice(0, 2).map((outcome) =>
      row({
        category: 'access',
        action,
        outcome,
        patientId: PATIENT,
        resource: {
          type: 'RecordSection',
          patientId: PATIENT,
          section: 'problems',
          labels: ['PSY'],
        },
        policies: outcome === 'allowed' ? ['care-team', 'consult-window'] : [],
        policyVersion: 3,
      }),
    ),
  ),
  ...SECURITY_EVENT_TYPES.map((action) =>
    row({
      category: 'security',
      action,
      outcome: action.includes('failed') ? 'failed' : 'succeeded',
      actorType: action.startsWith('participant') ? 'anonymous' : 'staff',
      actorId: action.startsWith('participant') ? null : STAFF,
      subjectUserId: action.startsWith('participant') ? null : STAFF,
      detail: { by: STAFF, count: 2, passkey: true },
    }),
  ),
  row({
    category: 'consult',
    action: 'participant_joined',
    outcome: 'succeeded',
    actorType: 'participant',
    actorId: 'c2Vzc2lvbi1oYXNo',
    actorRole: 'companion',
    patientId: PATIENT,
    resource: { type: 'Appointment', id: '20000000-0000-4000-8000-000000000001' },
  }),
  row({
    category: 'access',
    action: 'viewAccessHistory',
    actorType: 'participant',
    actorId: 'cGF0aWVudC1zZXNzaW9u',
    actorRole: 'patient',
    patientId: PATIENT,
    resource: { type: 'Patient', id: PATIENT },
    policies: ['patient-own-access-history'],
  }),
  row({
    category: 'access',
    action: 'readRecord',
    patientId: PATIENT,
    resource: { type: 'RecordSection', patientId: PATIENT, section: 'allergies' },
    policies: ['emergency-access'],
  }),
  row({
    category: 'export',
    action: 'audit_export',
    outcome: 'succeeded',
    actorRole: 'security_officer',
    resource: { type: 'AuditLog', id: 'audit-trail' },
    detail: { count: 12, until: '2026-11-25T10:00:00.000Z' },
  }),
  row({ category: 'security', action: 'account_locked', actorType: 'system', actorId: null }),
];

describe('ledger entries as FHIR R4 AuditEvents', () => {
  it('are valid AuditEvents by the official R4 schema and the StructureDefinition’s cardinalities', () => {
    for (const entry of ROWS) {
      const event = toAuditEvent(entry, observer);
      expect(auditEventProblems(event), `${entry.category} ${entry.action}`).toEqual([]);
    }
  });

  it('notices what is wrong with a resource that is not a valid AuditEvent', () => {
    const event = toAuditEvent(ROWS[0]!, observer);
    const broken = { ...event, action: 'X', agent: [{ ...event.agent[0], requestor: undefined }] };
    delete (broken as { recorded?: string }).recorded;
    const problems = auditEventProblems(broken as unknown as typeof event);
    expect(problems.join('\n')).toMatch(/action/);
    expect(problems).toContain('recorded is required (1..1)');
    expect(problems).toContain('agent[0].requestor is required (1..1)');
  });

  it('maps a clinician’s read of a section after BALP: rest/read, the user, the patient, the ledger', () => {
    const event = toAuditEvent(ROWS[0]!, observer);
    expect(event).toMatchObject({
      id: '1',
      type: { code: 'rest' },
      subtype: [{ code: 'read' }, { system: 'urn:safeconsult:audit-action', code: 'readRecord' }],
      action: 'R',
      recorded: '2026-11-25T09:15:00.123Z',
      outcome: '0',
      purposeOfEvent: [{ coding: [{ code: 'TREAT' }] }],
      source: { observer: { identifier: { value: 'https://consult.clinic.example' } } },
    });
    expect(event.agent[0]).toMatchObject({
      requestor: true,
      who: { reference: `Practitioner/${STAFF}`, display: 'Dr. Amara Okafor' },
      role: [{ coding: [{ code: 'clinician' }] }],
      network: { address: '192.0.2.7', type: '2' },
      policy: [
        'urn:safeconsult:access-policy:3:care-team',
        'urn:safeconsult:access-policy:3:consult-window',
      ],
    });
    expect(event.agent[1]).toMatchObject({
      requestor: false,
      type: { coding: [{ code: '110152' }] },
    });
    const entities = event.entity ?? [];
    expect(entities[0]).toMatchObject({
      what: { reference: `Patient/${PATIENT}` },
      role: { code: '1' },
    });
    expect(entities[1]).toMatchObject({
      detail: [{ type: 'section', valueString: 'problems' }],
      securityLabel: [{ code: 'PSY' }],
    });
    expect(entities[2]).toMatchObject({ what: { identifier: { value: 'req-1' } } });
    expect(entities[3]).toMatchObject({
      what: { identifier: { system: 'urn:safeconsult:audit-ledger', value: '1' } },
    });
  });

  it('marks refusals, emergencies, sign-ins, patients acting for themselves and exports', () => {
    const byAction = (category: AuditCategory, action: string, outcome?: string) =>
      toAuditEvent(
        ROWS.find(
          (r) =>
            r.category === category && r.action === action && (!outcome || r.outcome === outcome),
        )!,
        observer,
      );
    expect(byAction('access', 'readRecord', 'refused')).toMatchObject({ outcome: '4' });
    expect(
      toAuditEvent(
        ROWS.find((r) => r.policies?.includes('emergency-access'))!,
        observer,
      ),
    ).toMatchObject({ purposeOfEvent: [{ coding: [{ code: 'ETREAT' }] }] });
    expect(byAction('security', 'signed_in')).toMatchObject({
      type: { code: '110114' },
      subtype: [{ code: '110122' }, { code: 'signed_in' }],
      action: 'E',
    });
    expect(byAction('security', 'sign_in_failed')).toMatchObject({ outcome: '4' });
    expect(
      toAuditEvent(
        ROWS.find((r) => r.actorRole === 'patient')!,
        observer,
      ).agent[0],
    ).toMatchObject({
      who: { reference: `Patient/${PATIENT}` },
      type: { coding: [{ code: 'PAT' }] },
    });
    expect(byAction('consult', 'participant_joined').agent[0]).toMatchObject({
      who: { identifier: { value: 'c2Vzc2lvbi1oYXNo' } },
      role: [{ coding: [{ code: 'companion' }] }],
    });
    expect(byAction('export', 'audit_export')).toMatchObject({
      type: { code: '110106' },
      action: 'R',
    });
  });
});
