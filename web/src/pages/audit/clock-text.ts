import { wallClock, instantOnWallClock, type NotificationClock } from '@safeconsult/protocol';
import type { EventWords } from '../describe-event.js';
import { formatTimeLeft, type TimeLeft } from '../patients/time-left.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

/**
 * A clock's time, ahead or behind, in the parts worth reading: hours, minutes and seconds within
 * 72 hours (the whole of the authority's clock), days, hours and minutes beyond.
 */
export function clockDuration(ms: number): TimeLeft {
  const total = Math.floor(Math.abs(ms) / SECOND) * SECOND;
  const minutes = Math.floor((total % HOUR) / 60_000);
  if (total > 72 * HOUR) {
    return { days: Math.floor(total / DAY), hours: Math.floor((total % DAY) / HOUR), minutes };
  }
  return { hours: Math.floor(total / HOUR), minutes, seconds: (total % 60_000) / SECOND };
}

const CLOCK_KEYS: Record<NotificationClock['state'], string> = {
  running: 'incidents.clock.running',
  overdue: 'incidents.clock.overdue',
  notified: 'incidents.clock.notified',
  notified_late: 'incidents.clock.notifiedLate',
  stopped: 'incidents.clock.stopped',
};

/** A notification clock in words: time left or overdue, or how it stopped. */
export function clockWords(clock: NotificationClock, locale: string): EventWords {
  return {
    key: CLOCK_KEYS[clock.state],
    values: { time: formatTimeLeft(clockDuration(clock.remainingMs), locale) },
  };
}

/** An instant as a `datetime-local` field shows it on the clinic's clock. */
export function inputValue(at: Date, timeZone: string): string {
  const clock = wallClock(at, timeZone);
  return `${clock.date}T${clock.time}`;
}

/** What a `datetime-local` field holds, read on the clinic's clock, as an instant. */
export function instantOfInput(value: string, timeZone: string): string {
  const [date = '', time = ''] = value.split('T');
  return instantOnWallClock(date, time.slice(0, 5), timeZone).toISOString();
}
