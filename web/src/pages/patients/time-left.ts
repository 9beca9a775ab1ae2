export interface TimeLeft {
  hours: number;
  minutes: number;
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

/** "1 hour, 5 minutes" / "1 Stunde, 5 Minuten": the language's own units and plurals. */
export function formatTimeLeft({ hours, minutes }: TimeLeft, locale: string): string {
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const parts = [
    ...(hours > 0 ? [unit(hours, 'hour')] : []),
    ...(minutes > 0 || hours === 0 ? [unit(minutes, 'minute')] : []),
  ];
  return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(parts);
}
