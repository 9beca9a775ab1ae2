import { and, asc, between, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { AlertRule } from '@safeconsult/protocol';
import type { WorkingTime } from '../../platform/config/index.js';
import { queryRows, type Queryable } from '../../platform/db/index.js';
import { auditEntry } from '../schema.js';
import type { Hit } from './alert-detection.js';

/**
 * How far back each run looks: a weekend, the longest stretch outside working time, so an
 * out-of-hours alert still sees its stretch's first read; well over the day the longest window
 * needs, so a node that was down for a while still finds what happened meanwhile.
 */
export const SCAN_MS = 72 * 3_600_000;

const staffAccess = and(eq(auditEntry.category, 'access'), eq(auditEntry.actorType, 'staff'));
const patientRead = and(
  staffAccess,
  eq(auditEntry.action, 'readRecord'),
  isNotNull(auditEntry.patientId),
);

/**
 * Reads of patient data that no care relationship explains: allowed only through emergency
 * access, or refused (for want of a relationship, or by the patient's consent directive).
 */
export const outsideCareReads = and(
  patientRead,
  or(
    eq(auditEntry.outcome, 'refused'),
    and(
      eq(auditEntry.outcome, 'allowed'),
      sql`'emergency-access' = any(${auditEntry.policies})`,
      sql`not (${auditEntry.policies} && array['care-team', 'consult-window']::text[])`,
    ),
  ),
);

export const staffRefusals = and(staffAccess, eq(auditEntry.outcome, 'refused'));

export const emergencyGrants = and(
  eq(auditEntry.category, 'security'),
  eq(auditEntry.action, 'emergency_access_granted'),
);

export const completedExports = and(
  eq(auditEntry.category, 'export'),
  eq(auditEntry.actorType, 'staff'),
  inArray(auditEntry.outcome, ['allowed', 'succeeded']),
);

/** Patient data read outside working time, judged on the clinic's clock by the store. */
export function outOfHoursReads(work: WorkingTime, timeZone: string): SQL | undefined {
  const local = sql`(${auditEntry.at} at time zone ${timeZone})`;
  const minute = sql`(extract(hour from ${local}) * 60 + extract(minute from ${local}))`;
  const days = sql.join(
    work.days.map((d) => sql`${d}`),
    sql`, `,
  );
  return and(
    patientRead,
    eq(auditEntry.outcome, 'allowed'),
    sql`not (extract(isodow from ${local}) in (${days}) and ${minute} >= ${work.startMinute} and ${minute} < ${work.endMinute})`,
  );
}

/** The entries from `since` to `until` that match `which`, in time order, as the rules see them. */
export async function loadHits(
  db: Queryable,
  which: SQL | undefined,
  since: Date,
  until: Date,
): Promise<Hit[]> {
  const rows = await db
    .select({
      id: auditEntry.id,
      at: auditEntry.at,
      actorId: auditEntry.actorId,
      patientId: auditEntry.patientId,
      detail: auditEntry.detail,
    })
    .from(auditEntry)
    .where(and(which, isNotNull(auditEntry.actorId), between(auditEntry.at, since, until)))
    .orderBy(asc(auditEntry.at), asc(auditEntry.id));
  return rows.map((r) => {
    const count = r.detail?.count;
    return {
      id: r.id,
      at: r.at,
      actorId: r.actorId!,
      patientId: r.patientId,
      records: typeof count === 'number' && count >= 1 ? Math.floor(count) : 1,
    };
  });
}

/**
 * The highest entry id each person's alerts of `rule` already cover. Entries come before the alert
 * they raise, so alerts raised before `since` cover none of the entries the run looks at.
 */
export async function coveredEntries(
  db: Queryable,
  rule: AlertRule,
  since: Date,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ actor_id: string; covered: string | number }>(
    db,
    sql`select actor_id, max(entry) as covered
        from audit_alert, unnest(entry_ids) as entry
        where rule = ${rule} and raised_at >= ${since.toISOString()}::timestamptz
        group by actor_id`,
  );
  return new Map(rows.map((r) => [r.actor_id, Number(r.covered)]));
}
