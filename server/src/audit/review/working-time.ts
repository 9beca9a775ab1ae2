import type { WallClock } from '@safeconsult/protocol';
import type { WorkingTime } from '../../platform/config/index.js';

const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * The stretch outside working time that `t` falls in, named by where it began on the clinic's
 * clock: the end of the last working day before it (`2026-03-06T19:00` for a Saturday night).
 * Reads in one evening, night or weekend share the name, so they make one alert.
 */
export function offHoursStretch(t: WallClock, work: WorkingTime): string {
  const end = clock(work.endMinute);
  if (work.days.includes(t.weekday) && t.minute >= work.endMinute) return `${t.date}T${end}`;
  let { date, weekday } = t;
  // A working week has at least one working day, so a week back always finds one.
  for (let step = 0; step < 7; step++) {
    date = dayBefore(date);
    weekday = weekday === 1 ? 7 : weekday - 1;
    if (work.days.includes(weekday)) return `${date}T${end}`;
  }
  return `${t.date}T00:00`;
}

/** Working time as the alert explains it: `07:00-19:00` and ISO weekdays `1,2,3,4,5`. */
export const describeWorkingTime = (work: WorkingTime) => ({
  workingHours: `${clock(work.startMinute)}-${clock(work.endMinute)}`,
  workingDays: work.days.join(','),
});
