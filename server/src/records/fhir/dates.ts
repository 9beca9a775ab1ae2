/** A FHIR date, dateTime or instant as the half-open range of instants it covers: [start, end). */
export interface DateRange {
  start: Date;
  end: Date;
}

const DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const MINUTE = 60_000;

/**
 * The range a (possibly partial) FHIR date covers: `2024` is the whole year, `2024-03` the month,
 * `2024-03-05` the day, a time its minute, second or millisecond. A time without a zone is read as
 * UTC (FHIR requires a zone with a time; search values often lack one). Undefined when not a date.
 */
export function dateRange(text: string): DateRange | undefined {
  const m = DATE_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo ? Number(mo) - 1 : 0;
  const day = d ? Number(d) : 1;
  if (month > 11 || day < 1 || day > 31) return undefined;
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  const startMs =
    Date.UTC(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)) +
    (frac ? Math.floor(Number(`0${frac}`) * 1000) : 0) -
    offset * MINUTE;
  const start = new Date(startMs);
  // Date.UTC rolls 2024-02-30 over into March: such a date does not exist.
  const local = new Date(startMs + offset * MINUTE);
  if (local.getUTCMonth() !== month || local.getUTCDate() !== day) return undefined;
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  let end: Date;
  if (frac) end = new Date(startMs + 1);
  else if (s) end = new Date(startMs + 1000);
  else if (mi) end = new Date(startMs + MINUTE);
  else if (d) end = new Date(Date.UTC(year, month, day + 1) - offset * MINUTE);
  else if (mo) end = new Date(Date.UTC(year, month + 1, 1));
  else end = new Date(Date.UTC(year + 1, 0, 1));
  return { start, end };
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z') return 0;
  const [hours, minutes] = zone.slice(1).split(':').map(Number) as [number, number];
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** The range of a FHIR Period: an open end stays open (null), as does a missing start. */
export function periodRange(period: { start?: string; end?: string } | undefined): {
  start: Date | null;
  end: Date | null;
} {
  return {
    start: period?.start ? (dateRange(period.start)?.start ?? null) : null,
    end: period?.end ? (dateRange(period.end)?.end ?? null) : null,
  };
}
