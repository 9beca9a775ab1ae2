/** An instant on a wall clock: calendar date, time of day, ISO weekday and minute of the day. */
export interface WallClock {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`, 00:00 to 23:59. */
  time: string;
  /** Monday 1 … Sunday 7. */
  weekday: number;
  minute: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * What the clock in `timeZone` shows at `at`, by the zone's rules (daylight saving included).
 * Staff work to the clinic's clock, so days, working hours and deadlines are read on it.
 */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(String(parts.weekday)) + 1,
    minute: hour * 60 + minute,
  };
}

/**
 * The instant at which the clock in `timeZone` shows `date` and `time` (`YYYY-MM-DD`, `HH:MM`).
 * A time skipped when the clocks go forward counts from the offset before the change.
 */
export function instantOnWallClock(date: string, time: string, timeZone: string): Date {
  const shown = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (instant: number) => {
    const clock = wallClock(new Date(instant), timeZone);
    return Date.parse(`${clock.date}T${clock.time}:00Z`) - Math.floor(instant / 60_000) * 60_000;
  };
  // The offset at a first guess, then at the instant it gives: right on both sides of a change.
  const guess = shown - offsetAt(shown);
  return new Date(shown - offsetAt(guess));
}
