import { eq } from 'drizzle-orm';
import type { StaffRole } from '@safeconsult/protocol';
import type { AccessQuestion, Decision, Principal } from '../../../access/index.js';
import { appendAuditEntries, type AuditEntryInput } from '../../../audit/index.js';
import type { AppContext } from '../../../context.js';
import { staffUserTable } from '../../../identity/index.js';
import type { Queryable } from '../../../platform/db/index.js';
import { allowedItems } from '../access.js';
import type { StoredType } from '../definitions.js';
import { matchingCandidates } from '../search-query.js';
import type { Filter } from '../search-params.js';
import { openSealed } from '../store.js';
import { filesOf, finishJob, storeTypeDone, type ExportJob } from './jobs.js';

/** What the export needs from the access module, which this module does not import. */
export interface BulkExportDeps {
  /** The patients of a Group (a care team), or undefined when there is no such group. */
  patientsOfGroup: (db: Queryable, groupId: string) => Promise<string[] | undefined>;
  /** The ledger entry of an access decision. */
  decisionEntry: (
    question: AccessQuestion,
    decision: Decision,
    at: Date,
    request?: { id: string; ip: string },
  ) => AuditEntryInput;
}

/** A job stopped for a reason its requester may read (no patient data). */
class ExportFailure extends Error {}

/** The requester as the policy sees them now: an account disabled since the kick-off exports nothing. */
type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

async function requesterOf(db: Queryable, job: ExportJob): Promise<StaffPrincipal> {
  const [user] = await db
    .select({ role: staffUserTable.role, disabledAt: staffUserTable.disabledAt })
    .from(staffUserTable)
    .where(eq(staffUserTable.id, job.requesterId));
  if (!user || user.disabledAt) {
    throw new ExportFailure('The account that asked for this export is no longer active.');
  }
  return { kind: 'staff', userId: job.requesterId, role: user.role as StaffRole };
}

/**
 * The NDJSON lines of one type: the current versions that match the job (changed after `_since`,
 * not after the transaction time; of the group's patients), each decided as `bulkExportRecords`
 * on its record section, first by section and then with its sensitivity labels, so nothing
 * refused is decrypted and a label the patient withholds stays out.
 */
async function linesOf(
  ctx: AppContext,
  job: ExportJob,
  principal: Principal,
  type: StoredType,
  patients: string[] | undefined,
) {
  const filters: Filter[] = [];
  if (job.since) {
    const start = job.since;
    filters.push({
      kind: 'date',
      any: [
        {
          on: 'lastUpdated',
          prefix: 'gt',
          range: { start, end: new Date(start.getTime() + 1) },
        },
      ],
    });
  }
  if (patients) {
    filters.push(
      type === 'Patient'
        ? { kind: 'id', ids: patients }
        : { kind: 'reference', column: 'patient', ids: patients },
    );
  }
  const until = job.transactionTime!;
  const candidates = (
    await matchingCandidates(ctx.store.db, ctx.fields, {
      type,
      filters,
      count: 0,
      sort: undefined,
      includes: [],
      ignored: [],
    })
  ).filter((c) => c.lastUpdated <= until);
  const bySection = await allowedItems(
    ctx,
    principal,
    'bulkExportRecords',
    candidates.map((c) => ({ ...c, resource: { resourceType: type } })),
  );
  const withLabels = await allowedItems(
    ctx,
    principal,
    'bulkExportRecords',
    bySection.items.map((c) => openSealed(ctx.fields, c)),
  );
  return {
    lines: withLabels.items.map((s) => `${JSON.stringify(s.resource)}\n`),
    decisions: withLabels.decisions,
  };
}

/**
 * Runs a claimed job from where it stands, one resource type per transaction: the type's file,
 * the job's progress and the ledger entries of the decisions it rests on (one per patient and
 * section, as a search page records) commit together. `stopping` is asked between types; a job
 * left then stays in progress for the next node or start.
 */
export async function runExportJob(
  ctx: AppContext,
  deps: BulkExportDeps,
  job: ExportJob,
  leaseMs: number,
  stopping: () => boolean,
): Promise<'done' | 'left'> {
  const db = ctx.store.db;
  try {
    const principal = await requesterOf(db, job);
    const patients = job.groupId ? await deps.patientsOfGroup(db, job.groupId) : undefined;
    if (job.groupId && !patients) throw new ExportFailure('The group no longer exists.');
    for (const type of job.types.slice(job.progress) as StoredType[]) {
      if (stopping()) return 'left';
      const { lines, decisions } = await linesOf(ctx, job, principal, type, patients);
      const now = ctx.now();
      await storeTypeDone(
        db,
        ctx.fields,
        job,
        type,
        lines,
        new Date(now.getTime() + leaseMs),
        (tx) =>
          appendAuditEntries(
            tx,
            decisions.map(([q, d]) => ({
              ...deps.decisionEntry(q, d, now),
              detail: { bulkExportJob: job.id },
            })),
          ),
      );
    }
    const files = await filesOf(db, job);
    const now = ctx.now();
    await db.transaction(async (tx) => {
      await finishJob(tx, job.id, { state: 'completed' }, now);
      await appendAuditEntries(tx, [
        {
          at: now,
          category: 'export',
          action: 'fhir_bulk_export_completed',
          outcome: 'succeeded',
          actor: { type: 'staff', id: principal.userId, role: principal.role },
          resource: { type: 'Directory', id: 'patients' },
          detail: {
            bulkExportJob: job.id,
            count: files.reduce((sum, f) => sum + f.count, 0),
            files: files.length,
          },
        },
      ]);
    });
    return 'done';
  } catch (error) {
    const known = error instanceof ExportFailure;
    if (!known) ctx.log.error({ err: error, bulkExportJob: job.id }, 'bulk export job failed');
    await finishJob(
      db,
      job.id,
      {
        state: 'failed',
        error: known ? error.message : 'The export could not be completed; ask the administrator.',
      },
      ctx.now(),
    );
    return 'done';
  }
}
