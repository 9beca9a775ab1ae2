import { describe, expect, it } from 'vitest';
import { dateRange, periodRange } from './dates.js';

const iso = (text: string) => {
  const r = dateRange(text);
  return r && [r.start.toISOString(), r.end.toISOString()];
};

describe('FHIR dates as ranges', () => {
  it('reads partial dates as the whole year, month or day', () => {
    expect(iso('2024')).toEqual(['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    expect(iso('2024-02')).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(iso('2024-12')).toEqual(['2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    expect(iso('2024-02-29')).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  });

  it('reads times to their precision and zone', () => {
    expect(iso('2024-03-05T10:00:00Z')).toEqual([
      '2024-03-05T10:00:00.000Z',
      '2024-03-05T10:00:01.000Z',
    ]);
    expect(iso('2024-03-05T10:00+02:00')).toEqual([
      '2024-03-05T08:00:00.000Z',
      '2024-03-05T08:01:00.000Z',
    ]);
    expect(iso('2024-03-05T10:00:00.250Z')).toEqual([
      '2024-03-05T10:00:00.250Z',
      '2024-03-05T10:00:00.251Z',
    ]);
  });

  it('refuses what is not a date', () => {
    for (const bad of [
      'notadate',
      '2024-13',
      '2023-02-29',
      '2024-02-30',
      '24',
      '2024-03-05T25:00',
      '2024-03-05T10:00+15:00',
    ]) {
      expect(dateRange(bad), bad).toBeUndefined();
    }
  });

  it('keeps a period open where it has no end', () => {
    const open = periodRange({ start: '2024-03' });
    expect(open.start?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(open.end).toBeNull();
    expect(periodRange({ start: '2024', end: '2024-06-30' }).end?.toISOString()).toBe(
      '2024-07-01T00:00:00.000Z',
    );
  });
});
