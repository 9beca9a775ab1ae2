import { inArray, sql, type SQL } from 'drizzle-orm';
import {
  ACCESS_REASONS,
  careRelationshipsOf,
  RECORD_SECTIONS,
  STAFF_ROLES,
  type AccessActivity,
  type AccessHistory,
  type AccessHistoryLine,
  type RecordSectionName,
  type StaffRole,
} from '@safeconsult/protocol';
import { getClinicInfo } from '../clinic/index.js';
import { staffUserTable } from '../identity/index.js';
import { queryRows, type Queryable } from '../platform/db/index.js';

/** Days with access per page: a month of a busy record is a few dozen lines. */
const DAYS_PER_PAGE = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One group of the ledger's entries: a member of staff, a day, an action and its why. */
interface Row {
  day: string;
  actor_id: string;
  actor_role: string | null;
  actor_label: string | null;
  action: string;
  section: string | null;
  policies: string[] | null;
  count: number;
  first_at: Date | string;
  last_at: Date | string;
}

/**
 * The staff's allowed access to one patient's record, from the audit ledger: one line per member
 * of staff per day (in the clinic's zone), newest first, a page of days at a time. Only staff
 * appear: the patient's and companions' own requests are theirs, and refusals reached nothing.
 */
export async function accessHistory(
  db: Queryable,
  patientId: string,
  before?: string,
): Promise<AccessHistory> {
  const timeZone = (await getClinicInfo(db))?.timeZone ?? 'UTC';
  const day = sql`to_char(at at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const startOf = (date: string) => sql`(${date}::date::timestamp at time zone ${timeZone})`;
  const staffAccess = (from: string | undefined): SQL => sql`
    patient_id = ${patientId} and category = 'access' and outcome = 'allowed'
    and actor_type = 'staff' and actor_id is not null
    ${before ? sql`and at < ${startOf(before)}` : sql``}
    ${from ? sql`and at >= ${startOf(from)}` : sql``}`;

  const days = await queryRows<{ day: string }>(
    db,
    sql`select distinct ${day} as day from audit_entry where ${staffAccess(undefined)}
        order by day desc limit ${DAYS_PER_PAGE + 1}`,
  );
  const page = days.slice(0, DAYS_PER_PAGE);
  const oldest = page.at(-1)?.day;
  if (!oldest) return { timeZone, lines: [], nextBefore: null };
  const rows = await queryRows<Row>(
    db,
    sql`select day, actor_id, actor_role, max(actor_label) as actor_label, action, section,
               policies, count(*)::int as count, min(at) as first_at, max(at) as last_at
        from (select ${day} as day, actor_id, actor_role, actor_label, action,
                     resource->>'section' as section, policies, at
              from audit_entry where ${staffAccess(oldest)}) as entries
        group by day, actor_id, actor_role, action, section, policies`,
  );
  return {
    timeZone,
    lines: await withNames(db, linesOf(rows)),
    nextBefore: days.length > DAYS_PER_PAGE ? oldest : null,
  };
}

const isRole = (role: string | null): role is StaffRole =>
  (STAFF_ROLES as readonly (string | null)[]).includes(role);
const isSection = (section: string | null): section is RecordSectionName =>
  (RECORD_SECTIONS as readonly (string | null)[]).includes(section);
const iso = (at: Date | string) => new Date(at).toISOString();

/** Folds the groups into lines: the reasons and activities of a member of staff on a day. */
function linesOf(rows: readonly Row[]): AccessHistoryLine[] {
  const lines = new Map<string, AccessHistoryLine>();
  for (const row of rows) {
    const key = `${row.day}/${row.actor_id}`;
    const line = lines.get(key) ?? {
      day: row.day,
      staff: { id: row.actor_id, displayName: row.actor_label, role: null },
      firstAt: iso(row.first_at),
      lastAt: iso(row.first_at),
      reasons: [],
      activities: [],
    };
    if (iso(row.last_at) >= line.lastAt) {
      line.lastAt = iso(row.last_at);
      line.staff.role = isRole(row.actor_role) ? row.actor_role : line.staff.role;
    }
    if (iso(row.first_at) < line.firstAt) line.firstAt = iso(row.first_at);
    const relationships = careRelationshipsOf(row.policies ?? []);
    for (const reason of relationships.length > 0 ? relationships : (['other'] as const)) {
      if (!line.reasons.includes(reason)) line.reasons.push(reason);
    }
    addActivity(line.activities, {
      action: row.action,
      section: isSection(row.section) ? row.section : null,
      count: row.count,
    });
    lines.set(key, line);
  }
  return [...lines.values()]
    .map((line) => ({
      ...line,
      reasons: ACCESS_REASONS.filter((r) => line.reasons.includes(r)),
      activities: line.activities.sort(byActionAndSection),
    }))
    .sort((a, b) => b.day.localeCompare(a.day) || b.lastAt.localeCompare(a.lastAt));
}

function addActivity(activities: AccessActivity[], next: AccessActivity): void {
  const same = activities.find((a) => a.action === next.action && a.section === next.section);
  if (same) same.count += next.count;
  else activities.push(next);
}

const sectionRank = (section: RecordSectionName | null) =>
  section === null ? RECORD_SECTIONS.length : RECORD_SECTIONS.indexOf(section);
const byActionAndSection = (a: AccessActivity, b: AccessActivity) =>
  a.action.localeCompare(b.action) || sectionRank(a.section) - sectionRank(b.section);

/**
 * Staff as they are named now: the ledger keeps their ids, and the name at the time only on some
 * entries, which is the fallback for an account that no longer exists.
 */
async function withNames(db: Queryable, lines: AccessHistoryLine[]): Promise<AccessHistoryLine[]> {
  const names = await staffNamesOf(
    db,
    lines.map((l) => l.staff.id),
  );
  return lines.map((l) => ({
    ...l,
    staff: { ...l.staff, displayName: names.get(l.staff.id) ?? l.staff.displayName },
  }));
}

/** Staff display names by account id, for views that put names beside ledger entries. */
export async function staffNamesOf(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const staff = await db
    .select({ id: staffUserTable.id, displayName: staffUserTable.displayName })
    .from(staffUserTable)
    .where(inArray(staffUserTable.id, wanted));
  return new Map(staff.map((s) => [s.id, s.displayName]));
}
