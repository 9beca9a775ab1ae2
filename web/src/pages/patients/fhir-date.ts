import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useClinic } from '../../clinic/clinic-context.js';

/**
 * A FHIR date or date-time for people to read. A date (a birth date, an onset) is a calendar day
 * and is shown as written, at the precision it has (year, month or day), never shifted by a time
 * zone; a date-time is an instant, shown in the clinic's zone. Anything else is shown as it came.
 */
export function formatFhirDate(value: string, locale: string, timeZone?: string): string {
  if (/^\d{4}$/.test(value)) return value;
  const day = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (day) {
    const at = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3] ?? 1)));
    const options: Intl.DateTimeFormatOptions = day[3]
      ? { dateStyle: 'medium', timeZone: 'UTC' }
      : { year: 'numeric', month: 'long', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(locale, options).format(at);
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(instant);
}

/** formatFhirDate in the user's language and the clinic's time zone. */
export function useFhirDate(): (value: string) => string {
  const { i18n } = useTranslation();
  const timeZone = useClinic()?.timeZone;
  return useMemo(
    () => (value: string) => formatFhirDate(value, i18n.language, timeZone),
    [i18n.language, timeZone],
  );
}
