import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { EmergencyGrant } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { notifySecurityOfficers, recordSecurityEvent, staffUserTable } from '../identity/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { readPatient } from '../records/index.js';
import { emergencyAccess } from './schema.js';

export const reasonContext = (id: string) => `emergency_access.reason:${id}`;
const reviewer = alias(staffUserTable, 'reviewer');

function grantsQuery(db: Queryable) {
  return db
    .select({
      grant: emergencyAccess,
      displayName: staffUserTable.displayName,
      reviewedBy: reviewer.displayName,
    })
    .from(emergencyAccess)
    .innerJoin(staffUserTable, eq(staffUserTable.id, emergencyAccess.userId))
    .leftJoin(reviewer, eq(reviewer.id, emergencyAccess.reviewedBy));
}

type GrantRow = Awaited<ReturnType<typeof grantsQuery>>[number];

function toView(ctx: AppContext, row: GrantRow): EmergencyGrant {
  const g = row.grant;
  return {
    id: g.id,
    patientId: g.patientId,
    userId: g.userId,
    displayName: row.displayName,
    reason: ctx.fields.decrypt(g.reason, reasonContext(g.id)),
    startedAt: g.startedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    reviewedAt: g.reviewedAt?.toISOString() ?? null,
    reviewedBy: row.reviewedBy,
    reviewNote: g.reviewNote,
  };
}

/**
 * Grants emergency access for the configured time, records it, and alerts every security officer
 * through the outbox in the same transaction: the alert cannot be lost while the access stands.
 */
export async function grantEmergencyAccess(
  ctx: AppContext,
  input: { patientId: string; userId: string; reason: string },
  /** More to write in the grant's transaction: the request's audit entries. */
  alsoInTransaction: (tx: Queryable) => Promise<void>,
): Promise<EmergencyGrant> {
  const now = ctx.now();
  const id = crypto.randomUUID();
  const expiresAt = new Date(now.getTime() + ctx.config.emergencyAccessMs);
  await ctx.store.db.transaction(async (tx) => {
    if (!(await readPatient(tx, ctx.fields, input.patientId))) throw new AppError('not_found');
    await tx.insert(emergencyAccess).values({
      id,
      patientId: input.patientId,
      userId: input.userId,
      reason: ctx.fields.encrypt(input.reason, reasonContext(id)),
      startedAt: now,
      expiresAt,
    });
    await recordSecurityEvent(
      tx,
      { type: 'emergency_access_granted', userId: input.userId, detail: { grantId: id } },
      now,
    );
    await alsoInTransaction(tx);
    await notifySecurityOfficers(
      ctx,
      tx,
      {
        subject: 'Emergency access asserted: review needed',
        // No patient data in the message: the review page shows the reason to those allowed.
        body: `A clinician asserted emergency access to a patient record at ${now.toISOString()}. It lasts until ${expiresAt.toISOString()}.\n\nReview it in SafeConsult: ${ctx.config.publicUrl}/admin/emergency-access`,
      },
      now,
    );
  });
  ctx.outboxSignal.notify();
  const [row] = await grantsQuery(ctx.store.db).where(eq(emergencyAccess.id, id));
  return toView(ctx, row!);
}

/** The caller's grants that have not expired. */
export async function activeGrantsOf(ctx: AppContext, userId: string) {
  const rows = await grantsQuery(ctx.store.db)
    .where(and(eq(emergencyAccess.userId, userId), gt(emergencyAccess.expiresAt, ctx.now())))
    .orderBy(desc(emergencyAccess.startedAt));
  return rows.map((r) => toView(ctx, r));
}

/** Every grant for review: the unreviewed first, newest first within each. */
export async function grantsForReview(ctx: AppContext, limit = 200) {
  const rows = await grantsQuery(ctx.store.db)
    .orderBy(desc(isNull(emergencyAccess.reviewedAt)), desc(emergencyAccess.startedAt))
    .limit(limit);
  return rows.map((r) => toView(ctx, r));
}

export async function reviewGrant(
  ctx: AppContext,
  input: { grantId: string; reviewerId: string; note: string },
): Promise<EmergencyGrant> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(emergencyAccess)
      .set({ reviewedAt: now, reviewedBy: input.reviewerId, reviewNote: input.note })
      .where(and(eq(emergencyAccess.id, input.grantId), isNull(emergencyAccess.reviewedAt)))
      .returning({ id: emergencyAccess.id });
    if (!updated) {
      const [exists] = await tx
        .select({ id: emergencyAccess.id })
        .from(emergencyAccess)
        .where(eq(emergencyAccess.id, input.grantId));
      throw exists
        ? new AppError('conflict', 'This emergency access has already been reviewed.')
        : new AppError('not_found');
    }
    await recordSecurityEvent(
      tx,
      {
        type: 'emergency_access_reviewed',
        userId: input.reviewerId,
        detail: { grantId: input.grantId },
      },
      now,
    );
  });
  const [row] = await grantsQuery(ctx.store.db).where(eq(emergencyAccess.id, input.grantId));
  return toView(ctx, row!);
}
