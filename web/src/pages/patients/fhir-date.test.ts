import { describe, expect, it } from 'vitest';
import { formatFhirDate } from './fhir-date.js';

describe('formatFhirDate', () => {
  it('shows a calendar date as written, whatever the time zone', () => {
    expect(formatFhirDate('1968-03-14', 'en', 'Pacific/Honolulu')).toBe('Mar 14, 1968');
    expect(formatFhirDate('1968-03-14', 'de', 'Pacific/Kiritimati')).toBe('14.03.1968');
  });

  it('keeps the precision a date has', () => {
    expect(formatFhirDate('2003', 'en')).toBe('2003');
    expect(formatFhirDate('2003-09', 'en')).toBe('September 2003');
    expect(formatFhirDate('2003-09', 'de')).toBe('September 2003');
  });

  it('shows an instant in the clinic time zone', () => {
    expect(formatFhirDate('2026-11-23T23:30:00.000Z', 'en', 'Europe/Berlin')).toBe(
      'Nov 24, 2026, 12:30 AM',
    );
    expect(formatFhirDate('2026-11-23T23:30:00.000Z', 'de', 'Europe/Berlin')).toBe(
      '24.11.2026, 00:30',
    );
  });

  it('shows what it cannot read as it came', () => {
    expect(formatFhirDate('sometime in spring', 'en')).toBe('sometime in spring');
  });
});
