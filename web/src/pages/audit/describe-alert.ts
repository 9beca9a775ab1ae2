import type { AuditAlert } from '@safeconsult/protocol';
import type { EventWords } from '../describe-event.js';

/** A Monday: weekdays are named from it. */
const MONDAY = Date.parse('2026-11-23T12:00:00Z');

/** ISO weekdays (`1,2,3,4,5`) as the language names them: "Monday, Tuesday, … and Friday". */
export function weekdayNames(days: string, locale: string): string {
  const name = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const names = days
    .split(',')
    .map(Number)
    .filter((d) => d >= 1 && d <= 7)
    .map((d) => name.format(new Date(MONDAY + (d - 1) * 86_400_000)));
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
}

/**
 * An alert's rule in plain words, filled in with what it found: who, how many, in what window,
 * against which threshold, and for reads out of hours the working time it was judged by.
 */
export function explainAlert(alert: AuditAlert, locale: string): EventWords {
  const { pattern } = alert;
  const minutes = pattern.windowMinutes ?? 0;
  return {
    key: `alerts.rules.${alert.rule}.explain`,
    values: {
      name: alert.actorName ?? alert.actorId ?? '—',
      count: pattern.count,
      threshold: pattern.threshold,
      hours: minutes / 60,
      minutes,
      workingHours: pattern.workingHours ?? '',
      days: weekdayNames(pattern.workingDays ?? '', locale),
      zone: pattern.timeZone ?? '',
    },
  };
}
