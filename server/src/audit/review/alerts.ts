import { and, desc, eq, lt, sql } from 'drizzle-orm';
import {
  alertPatternSchema,
  type AlertRule,
  type AlertStatus,
  type AuditAlert,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { notifySecurityOfficers, recordSecurityEvent } from '../../identity/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError } from '../../platform/http/index.js';
import { auditAlert } from '../schema.js';
import type { AlertCandidate } from './alert-detection.js';
import { nameOf, staffNames } from './staff-names.js';

/** What the e-mail to the security officers says: the kind of pattern, never who or which patient. */
const RULE_SUMMARY: Record<AlertRule, string> = {
  patients_outside_care:
    'a member of staff reached the records of several patients without a care relationship',
  emergency_access: 'a clinician asserted emergency access to a patient record',
  out_of_hours_reads: "patient data was read outside the clinic's working hours",
  bulk_export: 'many records were exported',
  repeated_refusals: 'a member of staff was refused access again and again',
};

/**
 * Stores a candidate unless its rule and dedupe key are already stored; a new alert, its entry in
 * the ledger and the message to every security officer commit together. An open alert already stored gathers the
 * further entries a later run found for it (an out-of-hours stretch that goes on). True when new.
 */
export async function raiseAlert(
  ctx: AppContext,
  candidate: AlertCandidate,
  now: Date,
): Promise<boolean> {
  return ctx.store.db.transaction(async (tx) => {
    const [raised] = await tx
      .insert(auditAlert)
      .values({
        rule: candidate.rule,
        raisedAt: now,
        actorId: candidate.actorId,
        entryIds: candidate.entryIds,
        dedupeKey: candidate.dedupeKey,
        detail: candidate.pattern,
      })
      .onConflictDoNothing({ target: [auditAlert.rule, auditAlert.dedupeKey] })
      .returning({ id: auditAlert.id });
    if (!raised) {
      await tx
        .update(auditAlert)
        .set({ entryIds: candidate.entryIds, detail: candidate.pattern })
        .where(
          and(
            eq(auditAlert.rule, candidate.rule),
            eq(auditAlert.dedupeKey, candidate.dedupeKey),
            eq(auditAlert.status, 'open'),
            lt(sql`cardinality(${auditAlert.entryIds})`, candidate.entryIds.length),
          ),
        );
      return false;
    }
    // The ledger vouches that an alert was raised, and when: one deleted from its table still shows.
    await recordSecurityEvent(
      tx,
      {
        type: 'audit_alert_raised',
        userId: candidate.actorId,
        bySystem: true,
        detail: { alertId: raised.id, rule: candidate.rule },
      },
      now,
    );
    await notifySecurityOfficers(
      ctx,
      tx,
      {
        subject: 'Audit alert: review needed',
        body: `An audit alert was raised at ${now.toISOString()}: ${RULE_SUMMARY[candidate.rule]}.\n\nReview it in SafeConsult: ${ctx.config.publicUrl}/admin/alerts`,
      },
      now,
    );
    return true;
  });
}

type AlertRow = typeof auditAlert.$inferSelect;

/** Alerts for review: the open ones first, newest first within each. */
export async function listAlerts(
  db: Queryable,
  filter: { status?: AlertStatus | undefined; limit: number },
): Promise<AuditAlert[]> {
  const rows = await db
    .select()
    .from(auditAlert)
    .where(filter.status ? eq(auditAlert.status, filter.status) : undefined)
    .orderBy(desc(eq(auditAlert.status, 'open')), desc(auditAlert.raisedAt), desc(auditAlert.id))
    .limit(filter.limit);
  const names = await staffNames(
    db,
    rows.flatMap((r) => [r.actorId, r.reviewedBy]),
  );
  return rows.map((row) => toAlertView(row, names));
}

function toAlertView(row: AlertRow, names: ReadonlyMap<string, string>): AuditAlert {
  return {
    id: row.id,
    // Written only by raiseAlert, from the protocol's list of rules and statuses.
    rule: row.rule as AlertRule,
    raisedAt: row.raisedAt.toISOString(),
    actorId: row.actorId,
    actorName: nameOf(names, row.actorId),
    entryIds: row.entryIds,
    pattern: alertPatternSchema.parse(row.detail),
    status: row.status as AlertStatus,
    reviewedBy: row.reviewedBy,
    reviewedByName: nameOf(names, row.reviewedBy),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    incidentId: row.incidentId,
  };
}

/**
 * Takes an open alert out of the review list, or throws: `not_found`, or `conflict` when it was
 * already dismissed or escalated. Returns the alert as it was.
 */
export async function reviewOpenAlert(
  tx: Queryable,
  alertId: number,
  change: { status: 'dismissed' | 'escalated'; by: string; now: Date; incidentId?: number },
): Promise<AlertRow> {
  const [updated] = await tx
    .update(auditAlert)
    .set({
      status: change.status,
      reviewedBy: change.by,
      reviewedAt: change.now,
      incidentId: change.incidentId ?? null,
    })
    .where(and(eq(auditAlert.id, alertId), eq(auditAlert.status, 'open')))
    .returning();
  if (updated) return updated;
  const [exists] = await tx
    .select({ id: auditAlert.id })
    .from(auditAlert)
    .where(eq(auditAlert.id, alertId));
  throw exists
    ? new AppError('conflict', 'This alert has already been dismissed or escalated.')
    : new AppError('not_found', 'No alert has this id.');
}

/** Dismisses an open alert, recorded in the ledger with it. */
export async function dismissAlert(ctx: AppContext, alertId: number, by: string): Promise<void> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const alert = await reviewOpenAlert(tx, alertId, { status: 'dismissed', by, now });
    await recordSecurityEvent(
      tx,
      {
        type: 'audit_alert_dismissed',
        userId: alert.actorId ?? undefined,
        detail: { by, alertId, rule: alert.rule },
      },
      now,
    );
  });
}
