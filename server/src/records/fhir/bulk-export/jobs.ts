import { and, eq, lt, sql } from 'drizzle-orm';
import type { FieldProtection } from '../../../platform/crypto/index.js';
import { queryRows, type Queryable } from '../../../platform/db/index.js';
import type { StoredType } from '../definitions.js';
import { bulkExportFile, bulkExportJob } from './schema.js';

export type ExportJob = typeof bulkExportJob.$inferSelect;
export type ExportJobState = 'in-progress' | 'completed' | 'failed';

/** The file's column and row, bound into its ciphertext. */
export const exportFileContext = (jobId: string, type: string) =>
  `bulk_export_file.content:${jobId}/${type}`;

export async function insertJob(db: Queryable, job: typeof bulkExportJob.$inferInsert) {
  await db.insert(bulkExportJob).values(job);
}

/** A job as its requester sees it; anyone else's (or none) is undefined, so it reads as absent. */
export async function jobOf(
  db: Queryable,
  id: string,
  requesterId: string,
  now: Date,
): Promise<ExportJob | undefined> {
  const [job] = await db.select().from(bulkExportJob).where(eq(bulkExportJob.id, id));
  // An expired job not yet purged is gone all the same.
  return job && job.requesterId === requesterId && job.expiresAt > now ? job : undefined;
}

export async function deleteJob(db: Queryable, id: string): Promise<void> {
  await db.delete(bulkExportJob).where(eq(bulkExportJob.id, id));
}

/** The manifest's list: type and count of each file, in the job's type order. */
export async function filesOf(db: Queryable, job: ExportJob) {
  const rows = await db
    .select({ type: bulkExportFile.resourceType, count: bulkExportFile.count })
    .from(bulkExportFile)
    .where(eq(bulkExportFile.jobId, job.id));
  return rows.sort((a, b) => job.types.indexOf(a.type) - job.types.indexOf(b.type));
}

export async function readFile(
  db: Queryable,
  fields: FieldProtection,
  jobId: string,
  type: string,
): Promise<{ count: number; content: string } | undefined> {
  const [row] = await db
    .select()
    .from(bulkExportFile)
    .where(and(eq(bulkExportFile.jobId, jobId), eq(bulkExportFile.resourceType, type)));
  if (!row) return undefined;
  return { count: row.count, content: fields.decrypt(row.content, exportFileContext(jobId, type)) };
}

/**
 * Stores one type's file (when it has lines) and moves the job past that type, in one
 * transaction with `also` (its audit entries): a resumed job starts after the last type stored.
 */
export async function storeTypeDone(
  db: Queryable,
  fields: FieldProtection,
  job: ExportJob,
  type: StoredType,
  lines: string[],
  leaseUntil: Date,
  also: (tx: Queryable) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (lines.length > 0) {
      await tx
        .insert(bulkExportFile)
        .values({
          jobId: job.id,
          resourceType: type,
          count: lines.length,
          content: fields.encrypt(lines.join(''), exportFileContext(job.id, type)),
        })
        .onConflictDoNothing();
    }
    await tx
      .update(bulkExportJob)
      .set({ progress: job.types.indexOf(type) + 1, claimedUntil: leaseUntil })
      .where(eq(bulkExportJob.id, job.id));
    await also(tx);
  });
}

export async function finishJob(
  db: Queryable,
  id: string,
  outcome: { state: 'completed' } | { state: 'failed'; error: string },
  now: Date,
): Promise<void> {
  await db
    .update(bulkExportJob)
    .set({
      state: outcome.state,
      error: outcome.state === 'failed' ? outcome.error : null,
      completedAt: now,
      claimedUntil: null,
    })
    .where(eq(bulkExportJob.id, id));
}

/**
 * Takes the oldest job in progress that no live node holds, for `leaseMs`: one left by a stopped
 * or crashed node included. Its transaction time is fixed the first time it is taken.
 */
export async function claimJob(
  db: Queryable,
  now: Date,
  leaseMs: number,
): Promise<ExportJob | undefined> {
  const until = new Date(now.getTime() + leaseMs);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    update ${bulkExportJob}
       set claimed_until = ${until.toISOString()}::timestamptz,
           transaction_time = coalesce(transaction_time, ${now.toISOString()}::timestamptz)
     where id = (
       select id from ${bulkExportJob}
        where state = 'in-progress'
          and (claimed_until is null or claimed_until < ${now.toISOString()}::timestamptz)
          and expires_at > ${now.toISOString()}::timestamptz
        order by created_at
        limit 1
        for update skip locked)
    returning id`,
  );
  const id = rows[0]?.id;
  if (!id) return undefined;
  const [job] = await db.select().from(bulkExportJob).where(eq(bulkExportJob.id, id));
  return job;
}

/** Lets go of a job this node stops running, so the next node (or start) takes it at once. */
export async function releaseJob(db: Queryable, id: string): Promise<void> {
  await db
    .update(bulkExportJob)
    .set({ claimedUntil: null })
    .where(and(eq(bulkExportJob.id, id), eq(bulkExportJob.state, 'in-progress')));
}

/** Deletes expired jobs and (by cascade) their files; returns how many. */
export async function purgeExpired(db: Queryable, now: Date): Promise<number> {
  const gone = await db
    .delete(bulkExportJob)
    .where(lt(bulkExportJob.expiresAt, now))
    .returning({ id: bulkExportJob.id });
  return gone.length;
}
