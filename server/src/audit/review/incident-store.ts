import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { incidentClocks, type AuditIncident, type IncidentDetail } from '@safeconsult/protocol';
import type { FieldProtection } from '../../platform/crypto/index.js';
import { queryRows, type Queryable } from '../../platform/db/index.js';
import { AppError } from '../../platform/http/index.js';
import { auditAlert, auditEntry, auditIncident, auditIncidentAction } from '../schema.js';
import { nameOf, staffNames } from './staff-names.js';

type IncidentRow = typeof auditIncident.$inferSelect;

/**
 * The incident's title and scope and its actions' notes may describe patients and staff, so they
 * are encrypted, bound to their row: a value moved to another incident does not open.
 */
export const sealed = {
  title: (id: number) => `audit_incident.title:${id}`,
  scope: (id: number) => `audit_incident.scope:${id}`,
  note: (id: number) => `audit_incident_action.note:${id}`,
};

/** The id a new row will have, taken before the insert so that its encryption can name it. */
export async function nextId(
  db: Queryable,
  table: 'audit_incident' | 'audit_incident_action',
): Promise<number> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select nextval(pg_get_serial_sequence(${table}, 'id'))::text as id`,
  );
  return Number(row!.id);
}

/** The incident, locked for the change in `db`'s transaction; only an open incident changes. */
export async function lockOpenIncident(db: Queryable, id: number): Promise<IncidentRow> {
  const [row] = await db.select().from(auditIncident).where(eq(auditIncident.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'No incident has this id.');
  if (row.status !== 'open') throw new AppError('conflict', 'This incident is closed.');
  return row;
}

/** Refuses entry ids the ledger does not hold, so an incident names only real entries. */
export async function assertEntriesExist(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  const found = await db
    .select({ id: auditEntry.id })
    .from(auditEntry)
    .where(inArray(auditEntry.id, unique));
  if (found.length !== unique.length) {
    throw new AppError('unprocessable', 'Some of the entries named are not in the audit ledger.');
  }
}

function toView(
  fields: FieldProtection,
  row: IncidentRow,
  names: ReadonlyMap<string, string>,
  alertIds: number[],
  now: Date,
): AuditIncident {
  const times = {
    discoveredAt: row.discoveredAt.toISOString(),
    authorityNotifiedAt: row.authorityNotifiedAt?.toISOString() ?? null,
    individualsNotifiedAt: row.individualsNotifiedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
  };
  const clocks = incidentClocks(times, now);
  return {
    id: row.id,
    title: fields.decrypt(row.title, sealed.title(row.id)),
    scope: fields.decrypt(row.scope, sealed.scope(row.id)),
    status: row.status === 'closed' ? 'closed' : 'open',
    openedBy: row.openedBy,
    openedByName: nameOf(names, row.openedBy),
    openedAt: row.openedAt.toISOString(),
    entryIds: row.entryIds,
    alertIds,
    authorityDueAt: clocks.authority.dueAt.toISOString(),
    individualsDueAt: clocks.individuals.dueAt.toISOString(),
    ...times,
  };
}

async function alertsOf(db: Queryable, incidentIds: number[]): Promise<Map<number, number[]>> {
  const byIncident = new Map<number, number[]>();
  if (incidentIds.length === 0) return byIncident;
  const rows = await db
    .select({ id: auditAlert.id, incidentId: auditAlert.incidentId })
    .from(auditAlert)
    .where(inArray(auditAlert.incidentId, incidentIds))
    .orderBy(asc(auditAlert.id));
  for (const { id, incidentId } of rows) {
    const list = byIncident.get(incidentId!);
    if (list) list.push(id);
    else byIncident.set(incidentId!, [id]);
  }
  return byIncident;
}

/** The register: open incidents first, the most recently discovered first within each. */
export async function listIncidents(
  db: Queryable,
  fields: FieldProtection,
  now: Date,
): Promise<AuditIncident[]> {
  const rows = await db
    .select()
    .from(auditIncident)
    .orderBy(
      desc(eq(auditIncident.status, 'open')),
      desc(auditIncident.discoveredAt),
      desc(auditIncident.id),
    );
  const names = await staffNames(
    db,
    rows.map((r) => r.openedBy),
  );
  const alerts = await alertsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toView(fields, row, names, alerts.get(row.id) ?? [], now));
}

/** One incident with its actions in the order they were taken. */
export async function readIncident(
  db: Queryable,
  fields: FieldProtection,
  id: number,
  now: Date,
): Promise<IncidentDetail> {
  const [row] = await db.select().from(auditIncident).where(eq(auditIncident.id, id));
  if (!row) throw new AppError('not_found', 'No incident has this id.');
  const actions = await db
    .select()
    .from(auditIncidentAction)
    .where(eq(auditIncidentAction.incidentId, id))
    .orderBy(asc(auditIncidentAction.at), asc(auditIncidentAction.id));
  const names = await staffNames(db, [row.openedBy, ...actions.map((a) => a.by)]);
  const alerts = await alertsOf(db, [id]);
  return {
    ...toView(fields, row, names, alerts.get(id) ?? [], now),
    actions: actions.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      by: a.by,
      byName: nameOf(names, a.by),
      note: fields.decrypt(a.note, sealed.note(a.id)),
    })),
  };
}
