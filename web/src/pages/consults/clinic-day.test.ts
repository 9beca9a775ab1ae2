import { describe, expect, it } from 'vitest';
import { clinicInstant, clinicLocal, clinicToday, minutesSince, shiftDate } from './clinic-day.js';

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

  it('turns a time entered on the clinic clock into an instant and back', () => {
    expect(clinicInstant('2026-11-26T10:15', 'Europe/Berlin')).toBe('2026-11-26T09:15:00.000Z');
    expect(clinicInstant('2026-07-01T10:15', 'Europe/Berlin')).toBe('2026-07-01T08:15:00.000Z');
    expect(clinicLocal('2026-11-26T09:15:00.000Z', 'Europe/Berlin')).toBe('2026-11-26T10:15');
  });

  it('counts whole minutes waited', () => {
    const now = new Date('2026-11-25T09:10:59Z');
    expect(minutesSince('2026-11-25T09:03:00Z', now)).toBe(7);
    expect(minutesSince('2026-11-25T09:12:00Z', now)).toBe(0);
  });
});
