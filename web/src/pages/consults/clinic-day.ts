import { instantOnWallClock, wallClock } from '@safeconsult/protocol';

/** Today's date (`YYYY-MM-DD`) on the clinic's clock. */
export const clinicToday = (timeZone: string, now = new Date()): string =>
  wallClock(now, timeZone).date;

/** The date `days` after (or before) `date`, by the calendar. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A date and time entered on the clinic's clock (a `datetime-local` value) as an instant, so that
 * staff book to the clinic's time wherever their browser is.
 */
export function clinicInstant(local: string, timeZone: string): string {
  const [date = '', time = ''] = local.split('T');
  return instantOnWallClock(date, time.slice(0, 5), timeZone).toISOString();
}

/** An instant as a `datetime-local` value on the clinic's clock. */
export function clinicLocal(iso: string, timeZone: string): string {
  const clock = wallClock(new Date(iso), timeZone);
  return `${clock.date}T${clock.time}`;
}

/** Whole minutes from `since` to `now`, never below zero. */
export const minutesSince = (since: string, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
