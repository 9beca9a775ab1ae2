const HOUR_MS = 3_600_000;

/** GDPR art. 33(1): the supervisory authority, within 72 hours of becoming aware of a breach. */
const AUTHORITY_NOTIFICATION_MS = 72 * HOUR_MS;
/**
 * HIPAA §164.404(b): the individuals, without unreasonable delay and in no case later than 60
 * calendar days after discovery.
 */
const INDIVIDUALS_NOTIFICATION_MS = 60 * 24 * HOUR_MS;

/**
 * `running` and `overdue` until the notification is recorded; then `notified` (in time) or
 * `notified_late`. An incident closed without that notification stops its clock: `stopped`.
 */
export type ClockState = 'running' | 'overdue' | 'notified' | 'notified_late' | 'stopped';

export interface NotificationClock {
  dueAt: Date;
  state: ClockState;
  /** Time left before the deadline, negative past it; a stopped clock keeps what it showed. */
  remainingMs: number;
}

/** One notification deadline, counted from the moment the clinic became aware. */
export function notificationClock(
  discoveredAt: Date,
  limitMs: number,
  notifiedAt: Date | null,
  closedAt: Date | null,
  now: Date,
): NotificationClock {
  const dueAt = new Date(discoveredAt.getTime() + limitMs);
  const left = (at: Date) => dueAt.getTime() - at.getTime();
  if (notifiedAt) {
    const remainingMs = left(notifiedAt);
    return { dueAt, state: remainingMs >= 0 ? 'notified' : 'notified_late', remainingMs };
  }
  if (closedAt) return { dueAt, state: 'stopped', remainingMs: left(closedAt) };
  const remainingMs = left(now);
  return { dueAt, state: remainingMs >= 0 ? 'running' : 'overdue', remainingMs };
}

export interface IncidentTimes {
  discoveredAt: string;
  authorityNotifiedAt: string | null;
  individualsNotifiedAt: string | null;
  closedAt: string | null;
}

const date = (iso: string | null) => (iso === null ? null : new Date(iso));

/** An incident's two clocks: to the supervisory authority, and to the individuals affected. */
export function incidentClocks(incident: IncidentTimes, now: Date) {
  const discovered = new Date(incident.discoveredAt);
  const closed = date(incident.closedAt);
  return {
    authority: notificationClock(
      discovered,
      AUTHORITY_NOTIFICATION_MS,
      date(incident.authorityNotifiedAt),
      closed,
      now,
    ),
    individuals: notificationClock(
      discovered,
      INDIVIDUALS_NOTIFICATION_MS,
      date(incident.individualsNotifiedAt),
      closed,
      now,
    ),
  };
}
