import { wallClock } from '@safeconsult/protocol';

/** Today's date (`YYYY-MM-DD`) on the clinic's clock. */
export const clinicToday = (timeZone: string, now = new Date()): string =>
  wallClock(now, timeZone).date;

/** The date `days` after (or before) `date`, by the calendar. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole minutes from `since` to `now`, never below zero. */
export const minutesSince = (since: string, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
