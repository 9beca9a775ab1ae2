import { describe, expect, it } from 'vitest';
import { instantOnWallClock, wallClock } from '@safeconsult/protocol';
import { describeWorkingTime, offHoursStretch } from './working-time.js';

const WEEKDAYS_7_TO_19 = { startMinute: 7 * 60, endMinute: 19 * 60, days: [1, 2, 3, 4, 5] };
const stretch = (iso: string, zone = 'Europe/Berlin') =>
  offHoursStretch(wallClock(new Date(iso), zone), WEEKDAYS_7_TO_19);

describe('the clinic clock', () => {
  it('reads an instant in the clinic’s zone, summer time included', () => {
    // 2026-03-06 is a Friday; Berlin is UTC+1 in March before the 29th, UTC+2 in July.
    expect(wallClock(new Date('2026-03-06T18:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-03-06',
      time: '19:30',
      weekday: 5,
      minute: 19 * 60 + 30,
    });
    expect(wallClock(new Date('2026-07-04T22:15:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-07-05',
      time: '00:15',
      weekday: 7,
      minute: 15,
    });
    expect(wallClock(new Date('2026-07-04T22:15:00Z'), 'America/New_York').date).toBe('2026-07-04');
  });

  it('finds the instant a wall clock shows a time, on both sides of a clock change', () => {
    const at = (date: string, time: string) =>
      instantOnWallClock(date, time, 'Europe/Berlin').toISOString();
    expect(at('2026-03-06', '19:30')).toBe('2026-03-06T18:30:00.000Z');
    expect(at('2026-07-05', '00:15')).toBe('2026-07-04T22:15:00.000Z');
    // Clocks go forward at 02:00 on 29 March and back at 03:00 on 25 October 2026.
    expect(at('2026-03-29', '00:00')).toBe('2026-03-28T23:00:00.000Z');
    expect(at('2026-03-29', '04:00')).toBe('2026-03-29T02:00:00.000Z');
    expect(at('2026-10-25', '00:00')).toBe('2026-10-24T22:00:00.000Z');
    expect(at('2026-10-26', '00:00')).toBe('2026-10-25T23:00:00.000Z');
    expect(instantOnWallClock('2026-11-25', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-11-25T14:00:00.000Z',
    );
  });

  it('names one stretch for an evening, the night after it and the weekend', () => {
    const friday = '2026-03-06T19:00';
    expect(stretch('2026-03-06T18:30:00Z')).toBe(friday); // Friday 19:30
    expect(stretch('2026-03-07T02:00:00Z')).toBe(friday); // Saturday 03:00
    expect(stretch('2026-03-08T20:00:00Z')).toBe(friday); // Sunday 21:00
    expect(stretch('2026-03-09T05:59:00Z')).toBe(friday); // Monday 06:59
    // Monday evening starts the next one; Tuesday early morning belongs to it.
    expect(stretch('2026-03-09T18:00:00Z')).toBe('2026-03-09T19:00');
    expect(stretch('2026-03-10T04:00:00Z')).toBe('2026-03-09T19:00');
  });

  it('describes working time as the alert shows it', () => {
    expect(describeWorkingTime(WEEKDAYS_7_TO_19)).toEqual({
      workingHours: '07:00-19:00',
      workingDays: '1,2,3,4,5',
    });
  });
});
