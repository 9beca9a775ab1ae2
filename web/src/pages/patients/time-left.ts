export interface TimeLeft {
  days?: number;
  hours: number;
  minutes: number;
  seconds?: number;
}

/**
 * How long until `expiresAt`, in whole hours and minutes, rounded up: "1 minute" stays on screen
 * until the access has really ended. Undefined once it has.
 */
export function timeLeft(expiresAt: string, now: Date): TimeLeft | undefined {
  const ms = Date.parse(expiresAt) - now.getTime();
  if (!(ms > 0)) return undefined;
  const totalMinutes = Math.ceil(ms / 60_000);
  return { hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}

/**
 * "1 hour, 5 minutes" / "1 Stunde, 5 Minuten": the language's own units and plurals. Parts that
 * are zero are left out; when all are, the smallest part given says so ("0 minutes").
 */
export function formatTimeLeft(time: TimeLeft, locale: string): string {
  const unit = (value: number, name: (typeof UNITS)[number]) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const given = UNITS.flatMap((name) => {
    const value = time[`${name}s`];
    return value === undefined ? [] : [{ name, value }];
  });
  const shown = given.filter((p) => p.value > 0);
  const parts = (shown.length > 0 ? shown : given.slice(-1)).map((p) => unit(p.value, p.name));
  return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(parts);
}

const UNITS = ['day', 'hour', 'minute', 'second'] as const;
