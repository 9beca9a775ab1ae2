import { describe, expect, it } from 'vitest';
import {
  BULK_EXPORT,
  emergencyCandidates,
  outOfHoursCandidates,
  PATIENTS_OUTSIDE_CARE,
  REPEATED_REFUSALS,
  windowCandidates,
  type Hit,
} from './alert-detection.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
let nextId = 1;
const hit = (
  minutes: number,
  patientId: string | null = null,
  actorId = 'a',
  records = 1,
): Hit => ({
  id: nextId++,
  at: new Date(T0 + minutes * MINUTE),
  actorId,
  patientId,
  records,
});
const none = new Map<string, number>();

describe('window rules', () => {
  it('raise when the third patient falls within 24 hours, and not when it falls outside', () => {
    const within = [hit(0, 'p1'), hit(60, 'p1'), hit(600, 'p2'), hit(1400, 'p3')];
    const [alert, ...more] = windowCandidates(PATIENTS_OUTSIDE_CARE, within, none);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      rule: 'patients_outside_care',
      actorId: 'a',
      dedupeKey: `a:${within[0]!.id}`,
      entryIds: within.map((h) => h.id),
      pattern: { count: 3, threshold: 3, windowMinutes: 1440 },
    });
    const spread = [hit(0, 'p1'), hit(700, 'p2'), hit(1500, 'p3')];
    expect(windowCandidates(PATIENTS_OUTSIDE_CARE, spread, none)).toEqual([]);
  });

  it('count each person apart, and start afresh after an alert', () => {
    const hits = [
      ...[0, 1, 2, 3, 4, 5, 6].map((m) => hit(m, null, 'a')),
      ...[0, 1, 2, 3].map((m) => hit(m, null, 'b')),
    ];
    const found = windowCandidates(REPEATED_REFUSALS, hits, none);
    expect(found).toHaveLength(1);
    expect(found[0]!.entryIds).toHaveLength(5);
    // Already covered by the stored alert: the two refusals after it are not five.
    const covered = new Map([['a', found[0]!.entryIds.at(-1)!]]);
    expect(windowCandidates(REPEATED_REFUSALS, hits, covered)).toEqual([]);
  });

  it('add up the records of exports, one large export alone is enough', () => {
    expect(windowCandidates(BULK_EXPORT, [hit(0, null, 'a', 49)], none)).toEqual([]);
    expect(
      windowCandidates(BULK_EXPORT, [hit(0, null, 'a', 20), hit(90, null, 'a', 30)], none),
    ).toHaveLength(1);
    expect(windowCandidates(BULK_EXPORT, [hit(0, null, 'a', 500)], none)[0]!.pattern.count).toBe(
      500,
    );
  });
});

describe('event rules', () => {
  it('raise one alert per emergency access', () => {
    const found = emergencyCandidates([hit(0), hit(5)]);
    expect(found.map((c) => c.dedupeKey)).toEqual([
      `entry:${found[0]!.entryIds[0]}`,
      `entry:${found[1]!.entryIds[0]}`,
    ]);
  });

  it('gather out-of-hours reads by person and stretch', () => {
    const hits = [hit(0, 'p1'), hit(5, 'p2'), hit(2000, 'p1'), hit(1, 'p1', 'b')];
    const found = outOfHoursCandidates(
      hits,
      (h) => (h.at.getTime() - T0 < 1000 * MINUTE ? 'night-1' : 'night-2'),
      { workingHours: '07:00-19:00', workingDays: '1,2,3,4,5', timeZone: 'Europe/Berlin' },
    );
    expect(found.map((c) => [c.dedupeKey, c.pattern.count])).toEqual([
      ['a:night-1', 2],
      ['a:night-2', 1],
      ['b:night-1', 1],
    ]);
  });
});
