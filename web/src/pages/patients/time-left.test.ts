import { describe, expect, it } from 'vitest';
import { formatTimeLeft, timeLeft } from './time-left.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');

describe('timeLeft', () => {
  it('counts whole hours and minutes, rounding up the part-minute', () => {
    expect(timeLeft('2026-11-25T11:05:00.000Z', NOW)).toEqual({ hours: 1, minutes: 5 });
    expect(timeLeft('2026-11-25T10:59:00.001Z', NOW)).toEqual({ hours: 1, minutes: 0 });
    expect(timeLeft('2026-11-25T10:00:01.000Z', NOW)).toEqual({ hours: 0, minutes: 1 });
  });

  it('is over at the expiry instant and after it, and for an unreadable time', () => {
    expect(timeLeft('2026-11-25T10:00:00.000Z', NOW)).toBeUndefined();
    expect(timeLeft('2026-11-25T09:00:00.000Z', NOW)).toBeUndefined();
    expect(timeLeft('not a time', NOW)).toBeUndefined();
  });
});

describe('formatTimeLeft', () => {
  it('names hours and minutes in the language, leaving out a zero part', () => {
    expect(formatTimeLeft({ hours: 1, minutes: 5 }, 'en')).toBe('1 hour, 5 minutes');
    expect(formatTimeLeft({ hours: 2, minutes: 0 }, 'en')).toBe('2 hours');
    expect(formatTimeLeft({ hours: 0, minutes: 1 }, 'en')).toBe('1 minute');
    expect(formatTimeLeft({ hours: 1, minutes: 1 }, 'de')).toBe('1 Stunde, 1 Minute');
    expect(formatTimeLeft({ hours: 0, minutes: 45 }, 'de')).toBe('45 Minuten');
    expect(formatTimeLeft({ hours: 0, minutes: 0 }, 'en')).toBe('0 minutes');
  });

  it('names days and seconds where given', () => {
    expect(formatTimeLeft({ days: 59, hours: 23, minutes: 1 }, 'en')).toBe(
      '59 days, 23 hours, 1 minute',
    );
    expect(formatTimeLeft({ hours: 71, minutes: 0, seconds: 5 }, 'de')).toBe(
      '71 Stunden, 5 Sekunden',
    );
    expect(formatTimeLeft({ hours: 0, minutes: 0, seconds: 0 }, 'en')).toBe('0 seconds');
  });
});
