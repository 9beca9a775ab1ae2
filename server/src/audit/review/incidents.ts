import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { openIncidentSchema, updateIncidentSchema } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { recordSecurityEvent } from '../../identity/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError } from '../../platform/http/index.js';
import { auditIncident, auditIncidentAction } from '../schema.js';
import { reviewOpenAlert } from './alerts.js';
import { assertEntriesExist, lockOpenIncident, nextId, sealed } from './incident-store.js';

type OpenIncident = z.output<typeof openIncidentSchema>;
type IncidentChange = z.output<typeof updateIncidentSchema>;

/** Clocks of different machines disagree a little; a time this far ahead is still "now". */
const CLOCK_SKEW_MS = 5 * 60_000;

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field} ${message}.`, [{ path: `body.${field}`, message }]);

/** Refuses a time that has not come yet: awareness and notifications are facts, not plans. */
function pastTime(iso: string, field: string, now: Date): Date {
  const at = new Date(iso);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw invalid(field, 'must not be in the future');
  return at;
}

const union = (a: readonly number[], b: readonly number[]) =>
  [...new Set([...a, ...b])].sort((x, y) => x - y);

/** Escalates open alerts into the incident and adds their entries to the incident's. */
async function attachAlerts(
  tx: Queryable,
  incident: { id: number; entryIds: number[] },
  alertIds: readonly number[],
  by: string,
  now: Date,
): Promise<void> {
  if (alertIds.length === 0) return;
  let entryIds = incident.entryIds;
  for (const alertId of new Set(alertIds)) {
    const alert = await reviewOpenAlert(tx, alertId, {
      status: 'escalated',
      by,
      now,
      incidentId: incident.id,
    });
    entryIds = union(entryIds, alert.entryIds);
  }
  await tx.update(auditIncident).set({ entryIds }).where(eq(auditIncident.id, incident.id));
}

const recordChange = (
  tx: Queryable,
  type: 'incident_opened' | 'incident_updated' | 'incident_closed',
  detail: { by: string; incidentId: number } & Record<string, string | number>,
  now: Date,
) => recordSecurityEvent(tx, { type, detail }, now);

/**
 * Opens an incident, blank or from entries and alerts (escalated into it), recorded in the ledger
 * in the same transaction. Returns its id.
 */
export async function openIncident(ctx: AppContext, by: string, input: OpenIncident) {
  const now = ctx.now();
  const discoveredAt = pastTime(input.discoveredAt, 'discoveredAt', now);
  return ctx.store.db.transaction(async (tx) => {
    await assertEntriesExist(tx, input.entryIds);
    const id = await nextId(tx, 'audit_incident');
    const entryIds = union([], input.entryIds);
    await tx.insert(auditIncident).values({
      id,
      title: ctx.fields.encrypt(input.title, sealed.title(id)),
      scope: ctx.fields.encrypt(input.scope, sealed.scope(id)),
      openedBy: by,
      openedAt: now,
      discoveredAt,
      entryIds,
    });
    await attachAlerts(tx, { id, entryIds }, input.alertIds, by, now);
    await recordChange(
      tx,
      'incident_opened',
      { by, incidentId: id, alerts: input.alertIds.length },
      now,
    );
    return id;
  });
}

/** Escalates an open alert into an open incident. */
export async function escalateAlert(
  ctx: AppContext,
  by: string,
  alertId: number,
  incidentId: number,
): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const incident = await lockOpenIncident(tx, incidentId);
    await attachAlerts(tx, incident, [alertId], by, now);
    await recordChange(tx, 'incident_updated', { by, incidentId, change: 'alert', alertId }, now);
  });
}

/** Changes what an open incident says, or records (or withdraws) its notifications. */
export async function updateIncident(
  ctx: AppContext,
  by: string,
  id: number,
  change: IncidentChange,
): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const row = await lockOpenIncident(tx, id);
    const discoveredAt = change.discoveredAt
      ? pastTime(change.discoveredAt, 'discoveredAt', now)
      : row.discoveredAt;
    // A notification, recorded now or before, cannot precede the awareness it answers.
    const notified = (field: 'authorityNotifiedAt' | 'individualsNotifiedAt') => {
      const value = change[field];
      const at =
        value === undefined ? row[field] : value === null ? null : pastTime(value, field, now);
      if (at && at < discoveredAt) throw invalid(field, 'must not be earlier than discoveredAt');
      return at;
    };
    if (change.entryIds) await assertEntriesExist(tx, change.entryIds);
    await tx
      .update(auditIncident)
      .set({
        title:
          change.title === undefined
            ? row.title
            : ctx.fields.encrypt(change.title, sealed.title(id)),
        scope:
          change.scope === undefined
            ? row.scope
            : ctx.fields.encrypt(change.scope, sealed.scope(id)),
        discoveredAt,
        entryIds: change.entryIds ? union([], change.entryIds) : row.entryIds,
        authorityNotifiedAt: notified('authorityNotifiedAt'),
        individualsNotifiedAt: notified('individualsNotifiedAt'),
      })
      .where(eq(auditIncident.id, id));
    // The ledger names what changed, never the text: that stays encrypted in the register.
    const fields = Object.keys(change).sort().join(',');
    await recordChange(
      tx,
      'incident_updated',
      { by, incidentId: id, change: 'details', fields },
      now,
    );
  });
}

async function addAction(
  ctx: AppContext,
  tx: Queryable,
  incidentId: number,
  by: string,
  note: string,
  now: Date,
) {
  const id = await nextId(tx, 'audit_incident_action');
  await tx.insert(auditIncidentAction).values({
    id,
    incidentId,
    at: now,
    by,
    note: ctx.fields.encrypt(note, sealed.note(id)),
  });
}

/** Records an action taken for an open incident. */
export async function recordIncidentAction(
  ctx: AppContext,
  by: string,
  incidentId: number,
  note: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    await lockOpenIncident(tx, incidentId);
    await addAction(ctx, tx, incidentId, by, note, now);
    await recordChange(tx, 'incident_updated', { by, incidentId, change: 'action' }, now);
  });
}

/** Closes an open incident with its conclusion, kept as the last action; the clocks stop. */
export async function closeIncident(
  ctx: AppContext,
  by: string,
  incidentId: number,
  note: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    await lockOpenIncident(tx, incidentId);
    await addAction(ctx, tx, incidentId, by, note, now);
    await tx
      .update(auditIncident)
      .set({ status: 'closed', closedAt: now })
      .where(eq(auditIncident.id, incidentId));
    await recordChange(tx, 'incident_closed', { by, incidentId }, now);
  });
}
