import { describe, expect, it } from 'vitest';
import type { ResourceRef } from '@safeconsult/protocol';
import { groupOutcomes, type WhatIfOutcome } from './group-outcomes.js';

const PATIENT = '00000000-0000-4000-9000-000000000001';
const allow = { decision: 'allow' as const, policies: [] };
const deny = { decision: 'deny' as const, policies: [] };

function outcome(userId: string, action: string, resource: ResourceRef): WhatIfOutcome {
  return {
    request: { userId, displayName: userId, role: 'clinician', action, resource },
    current: allow,
    proposed: deny,
    changed: true,
  };
}

describe('groupOutcomes', () => {
  it('counts the same question once, in the order first seen', () => {
    const problems: ResourceRef = {
      type: 'RecordSection',
      patientId: PATIENT,
      section: 'problems',
    };
    const groups = groupOutcomes([
      outcome('a', 'readRecord', problems),
      outcome('b', 'readRecord', problems),
      outcome('a', 'readRecord', {
        section: 'problems',
        patientId: PATIENT,
        type: 'RecordSection',
      }),
      outcome('a', 'writeRecord', problems),
    ]);
    expect(
      groups.map((g) => [g.outcome.request.userId, g.outcome.request.action, g.count]),
    ).toEqual([
      ['a', 'readRecord', 2],
      ['b', 'readRecord', 1],
      ['a', 'writeRecord', 1],
    ]);
  });

  it('tells resources apart by every field, labels in any order being the same', () => {
    const labelled = (labels: ('PSY' | 'HIV')[]): ResourceRef => ({
      type: 'RecordSection',
      patientId: PATIENT,
      section: 'problems',
      labels,
    });
    const groups = groupOutcomes([
      outcome('a', 'readRecord', labelled(['PSY', 'HIV'])),
      outcome('a', 'readRecord', labelled(['HIV', 'PSY'])),
      outcome('a', 'readRecord', labelled(['PSY'])),
      outcome('a', 'readRecord', { type: 'Patient', id: PATIENT }),
    ]);
    expect(groups.map((g) => g.count)).toEqual([2, 1, 1]);
  });
});
