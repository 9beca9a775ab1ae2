import { describe, expect, it } from 'vitest';
import { clinicToday, minutesSince, shiftDate } from './clinic-day.js';

describe("the clinic's day", () => {
  it('reads today on the clinic clock, not the browser clock', () => {
    const lateUtc = new Date('2026-11-25T23:30:00Z');
    expect(clinicToday('Europe/Berlin', lateUtc)).toBe('2026-11-26');
    expect(clinicToday('America/New_York', lateUtc)).toBe('2026-11-25');
  });

  it('moves across month ends and the change of clocks', () => {
    expect(shiftDate('2026-11-30', 1)).toBe('2026-12-01');
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('counts whole minutes waited', () => {
    const now = new Date('2026-11-25T09:10:59Z');
    expect(minutesSince('2026-11-25T09:03:00Z', now)).toBe(7);
    expect(minutesSince('2026-11-25T09:12:00Z', now)).toBe(0);
  });
});
