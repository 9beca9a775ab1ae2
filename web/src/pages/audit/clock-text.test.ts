import { describe, expect, it } from 'vitest';
import { incidentClocks } from '@safeconsult/protocol';
import { clockDuration, clockWords, inputValue, instantOfInput } from './clock-text.js';

const HOUR = 3_600_000;
const discoveredAt = '2026-11-23T09:00:00.000Z';
const clocks = (now: string, notified: Partial<Record<'authority' | 'individuals', string>> = {}) =>
  incidentClocks(
    {
      discoveredAt,
      authorityNotifiedAt: notified.authority ?? null,
      individualsNotifiedAt: notified.individuals ?? null,
      closedAt: null,
    },
    new Date(now),
  );

describe('notification clocks in words', () => {
  it('count hours, minutes and seconds within 72 hours, days beyond', () => {
    expect(clockDuration(71 * HOUR + 59 * 60_000 + 30_500)).toEqual({
      hours: 71,
      minutes: 59,
      seconds: 30,
    });
    expect(clockDuration(-(3 * HOUR + 5_000))).toEqual({ hours: 3, minutes: 0, seconds: 5 });
    expect(clockDuration(59 * 24 * HOUR + 23 * HOUR + 61_000)).toEqual({
      days: 59,
      hours: 23,
      minutes: 1,
    });
  });

  it('say the time left, then how far overdue', () => {
    const { authority, individuals } = clocks('2026-11-23T10:00:00.000Z');
    expect(clockWords(authority, 'en')).toEqual({
      key: 'incidents.clock.running',
      values: { time: '71 hours' },
    });
    expect(clockWords(individuals, 'en').values?.time).toBe('59 days, 23 hours');
    const late = clocks('2026-11-26T12:00:05.000Z').authority;
    expect(clockWords(late, 'de')).toEqual({
      key: 'incidents.clock.overdue',
      values: { time: '3 Stunden, 5 Sekunden' },
    });
  });

  it('stop once the notification is recorded', () => {
    const { authority } = clocks('2026-12-30T00:00:00.000Z', {
      authority: '2026-11-25T09:00:00.000Z',
    });
    expect(clockWords(authority, 'en')).toEqual({
      key: 'incidents.clock.notified',
      values: { time: '24 hours' },
    });
  });

  it('read and write date-time fields on the clinic’s clock', () => {
    const at = new Date('2026-11-25T13:07:00Z');
    expect(inputValue(at, 'Europe/Berlin')).toBe('2026-11-25T14:07');
    expect(instantOfInput('2026-11-25T14:07', 'Europe/Berlin')).toBe('2026-11-25T13:07:00.000Z');
    // Summer time moves the offset.
    expect(instantOfInput('2026-07-01T10:15', 'Europe/Berlin')).toBe('2026-07-01T08:15:00.000Z');
  });
});
