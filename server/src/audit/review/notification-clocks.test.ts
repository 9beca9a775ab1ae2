import { describe, expect, it } from 'vitest';
import { incidentClocks, notificationClock } from '@safeconsult/protocol';

const HOUR = 3_600_000;
const discovered = new Date('2026-03-02T10:00:00Z');
const at = (hours: number) => new Date(discovered.getTime() + hours * HOUR);

describe('notification clocks', () => {
  it('runs 72 hours to the authority and 60 days to the individuals from awareness', () => {
    const clocks = incidentClocks(
      {
        discoveredAt: discovered.toISOString(),
        authorityNotifiedAt: null,
        individualsNotifiedAt: null,
        closedAt: null,
      },
      at(1),
    );
    expect(clocks.authority).toEqual({
      dueAt: new Date('2026-03-05T10:00:00Z'),
      state: 'running',
      remainingMs: 71 * HOUR,
    });
    expect(clocks.individuals.dueAt).toEqual(new Date('2026-05-01T10:00:00Z'));
    expect(clocks.individuals.state).toBe('running');
  });

  it('is due at the last millisecond and overdue after it', () => {
    expect(notificationClock(discovered, 72 * HOUR, null, null, at(72)).state).toBe('running');
    const late = notificationClock(discovered, 72 * HOUR, null, null, at(75));
    expect(late).toMatchObject({ state: 'overdue', remainingMs: -3 * HOUR });
  });

  it('stops once notified, telling in time from late', () => {
    const inTime = notificationClock(discovered, 72 * HOUR, at(40), null, at(500));
    expect(inTime).toMatchObject({ state: 'notified', remainingMs: 32 * HOUR });
    const late = notificationClock(discovered, 72 * HOUR, at(80), null, at(500));
    expect(late).toMatchObject({ state: 'notified_late', remainingMs: -8 * HOUR });
  });

  it('stops when the incident is closed without a notification, keeping what it showed', () => {
    const clock = notificationClock(discovered, 72 * HOUR, null, at(10), at(500));
    expect(clock).toMatchObject({ state: 'stopped', remainingMs: 62 * HOUR });
  });
});
