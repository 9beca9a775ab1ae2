import type { AuditEntryInput } from '../audit/ledger/entry.js';

const PATIENT = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

/** The n-th of a run of made-up ledger entries: record reads, every third one refused. */
export function sampleAuditEntry(n: number): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2026, 10, 25, 9, 0, 0, n)),
    category: 'access',
    action: 'readRecord',
    outcome: n % 3 === 0 ? 'refused' : 'allowed',
    actor: { type: 'staff', id: `user-${n % 7}`, role: 'clinician' },
    patientId: PATIENT,
    resource: { type: 'RecordSection', patientId: PATIENT, section: 'problems' },
    policies: ['care-team'],
    policyVersion: 1,
    detail: { n, zeta: true, alpha: 'first' },
  };
}
