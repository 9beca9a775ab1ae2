import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { DocumentReference, Encounter } from 'fhir/r4.js';
import type { EhrWriteback } from '@safeconsult/protocol';
import { appendAuditEntries } from '../audit/index.js';
import { writtenUpConsult } from '../consults/index.js';
import type { AppContext } from '../context.js';
import type { Queryable } from '../platform/db/index.js';
import { retryDelayMs } from '../outbox/index.js';
import { AppError } from '../platform/http/index.js';
import { ehrSettings } from './connection.js';
import { EhrFhirClient, EhrUnavailable, type EhrTokenCache } from './ehr-client.js';
import { remotePatientOf } from './import.js';
import { rewriteReferences } from './references.js';
import { ehrWritebackJob } from './schema.js';

/** Retries wait 30 s, doubling up to an hour, and never give up: the consult must reach the EHR. */
const RETRY = { firstRetryDelayMs: 30_000, maxRetryDelayMs: 3_600_000 };
/** A claimed job is another worker's after this: longer than a delivery can take. */
const CLAIM_MS = 2 * 60_000;

type Job = typeof ehrWritebackJob.$inferSelect;

function writebackView(job: Job): EhrWriteback {
  return {
    state: job.state as EhrWriteback['state'],
    attempts: job.attempts,
    nextAttemptAt: job.state === 'pending' ? (job.nextAttemptAt?.toISOString() ?? null) : null,
    lastError: job.lastError,
    remoteEncounter: job.remoteEncounter,
    remoteDocument: job.remoteDocument,
    deliveredAt: job.deliveredAt?.toISOString() ?? null,
  };
}

/**
 * Queues a written-up consult for the EHR in the caller's transaction (with its ledger entries).
 * Asking again after delivery sends it again, which the EHR's conditional create makes harmless;
 * a note rewritten since is sent as the note in force then.
 */
export async function queueWriteback(
  ctx: AppContext,
  tx: Queryable,
  appointmentId: string,
  patientId: string,
  requestedBy: string,
): Promise<EhrWriteback> {
  if (!(await writtenUpConsult(tx, ctx.fields, appointmentId, patientId))) {
    throw new AppError('conflict', 'A consult is written back once it has ended and has a note.');
  }
  const now = ctx.now();
  // A claim held by a delivery in flight stays: the job goes again once that delivery lets go,
  // never beside it.
  const fresh = {
    patientId,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    deliveredAt: null,
    requestedBy,
  };
  const [job] = await tx
    .insert(ehrWritebackJob)
    .values({ appointmentId, createdAt: now, ...fresh })
    .onConflictDoUpdate({ target: ehrWritebackJob.appointmentId, set: fresh })
    .returning();
  return writebackView(job!);
}

export async function writebackOf(db: Queryable, appointmentId: string, patientId: string) {
  const [job] = await db
    .select()
    .from(ehrWritebackJob)
    .where(
      and(
        eq(ehrWritebackJob.appointmentId, appointmentId),
        eq(ehrWritebackJob.patientId, patientId),
      ),
    );
  return job ? writebackView(job) : undefined;
}

/** Takes the oldest due job for this worker, counting the attempt. */
async function claimDue(db: Queryable, now: Date): Promise<Job | undefined> {
  const due = db
    .select({ id: ehrWritebackJob.appointmentId })
    .from(ehrWritebackJob)
    .where(
      and(
        eq(ehrWritebackJob.state, 'pending'),
        lte(ehrWritebackJob.nextAttemptAt, now),
        or(isNull(ehrWritebackJob.claimedUntil), lt(ehrWritebackJob.claimedUntil, now)),
      ),
    )
    .orderBy(ehrWritebackJob.nextAttemptAt)
    .limit(1)
    .for('update', { skipLocked: true });
  const [job] = await db
    .update(ehrWritebackJob)
    .set({
      attempts: sql`${ehrWritebackJob.attempts} + 1`,
      claimedUntil: new Date(now.getTime() + CLAIM_MS),
    })
    .where(sql`${ehrWritebackJob.appointmentId} in (${due})`)
    .returning();
  return job;
}

/**
 * The job as this worker claimed it: queued again since (which resets the attempts), it is no
 * longer this claim's to mark.
 */
const thisClaim = (job: Job) =>
  and(
    eq(ehrWritebackJob.appointmentId, job.appointmentId),
    eq(ehrWritebackJob.attempts, job.attempts),
  );

/** Lets go of this worker's claim, whether or not the job was queued again meanwhile. */
async function release(db: Queryable, job: Job) {
  await db
    .update(ehrWritebackJob)
    .set({ claimedUntil: null })
    .where(
      and(
        eq(ehrWritebackJob.appointmentId, job.appointmentId),
        eq(ehrWritebackJob.claimedUntil, job.claimedUntil!),
      ),
    );
}

/** Without its local id and versions, with our identifier so the EHR can tell a repeat. */
function forEhr<T extends Encounter | DocumentReference>(
  resource: T & { id: string },
  system: string,
  map: (reference: string) => string | undefined,
): T {
  const { id, meta: _meta, ...rest } = resource;
  const identifier = { system: `${system}/${resource.resourceType}`, value: id };
  return { ...rewriteReferences(rest, map), identifier: [identifier] } as unknown as T;
}

const conditionFor = (resource: { identifier?: { system?: string; value?: string }[] }) => {
  const [identifier] = resource.identifier!;
  return new URLSearchParams({
    identifier: `${identifier!.system}|${identifier!.value}`,
  }).toString();
};

/**
 * Sends one consult: the Encounter first, then the note's DocumentReference pointing at the
 * EHR's Encounter and patient. Both are conditional creates on our identifiers, so a delivery
 * repeated after a crash between the two creates nothing twice.
 */
async function deliver(ctx: AppContext, tokens: EhrTokenCache, job: Job) {
  const settings = await ehrSettings(ctx.store.db, ctx.fields);
  if (!settings) throw new EhrUnavailable('No EHR is connected.');
  const consult = await writtenUpConsult(
    ctx.store.db,
    ctx.fields,
    job.appointmentId,
    job.patientId,
  );
  if (!consult) throw new EhrUnavailable('The consult has no note to send.');
  const client = new EhrFhirClient(settings, tokens, () => ctx.now());
  const remotePatient = await remotePatientOf(
    ctx,
    client,
    settings.patientIdentifierSystem,
    job.patientId,
  );
  const system = `${ctx.config.publicUrl}/fhir`;
  const toPatient = (reference: string) =>
    reference === `Patient/${job.patientId}` ? `Patient/${remotePatient}` : undefined;
  const encounter = forEhr<Encounter>(consult.encounter, system, toPatient);
  const remoteEncounter = await client.createOnce(encounter, conditionFor(encounter));
  const document = forEhr<DocumentReference>(consult.note, system, (reference) =>
    reference === `Encounter/${consult.encounter.id}`
      ? `Encounter/${remoteEncounter.id}`
      : toPatient(reference),
  );
  const remoteDocument = await client.createOnce(document, conditionFor(document));
  return {
    encounterId: consult.encounter.id,
    documentId: consult.note.id,
    remoteEncounter: `${settings.baseUrl}/Encounter/${remoteEncounter.id}`,
    remoteDocument: `${settings.baseUrl}/DocumentReference/${remoteDocument.id}`,
  };
}

/**
 * Delivers every due write-back once, oldest first; true when there was any. A failure is kept as
 * our summary and the job waits its back-off; a delivery is recorded in the audit ledger as data
 * leaving SafeConsult, in the transaction that marks it delivered.
 */
export async function deliverDueWritebacks(ctx: AppContext, stopping = () => false) {
  const tokens = ctx.ehrTokens;
  let any = false;
  while (!stopping()) {
    const now = ctx.now();
    const job = await claimDue(ctx.store.db, now);
    if (!job) return any;
    any = true;
    try {
      const sent = await deliver(ctx, tokens, job);
      await ctx.store.db.transaction(async (tx) => {
        // Queued again meanwhile (a corrected note): the job stays pending for that request, but
        // what this delivery sent has left SafeConsult all the same and is recorded.
        await tx
          .update(ehrWritebackJob)
          .set({
            state: 'delivered',
            deliveredAt: ctx.now(),
            lastError: null,
            remoteEncounter: sent.remoteEncounter,
            remoteDocument: sent.remoteDocument,
          })
          .where(thisClaim(job));
        await appendAuditEntries(tx, [
          {
            at: ctx.now(),
            category: 'export',
            action: 'ehr_writeback',
            outcome: 'succeeded',
            actor: { type: 'system' },
            subjectUserId: job.requestedBy,
            patientId: job.patientId,
            detail: {
              appointmentId: job.appointmentId,
              encounterId: sent.encounterId,
              documentReferenceId: sent.documentId,
            },
          },
        ]);
      });
    } catch (error) {
      const summary =
        error instanceof EhrUnavailable || error instanceof AppError
          ? error.message
          : 'internal error';
      if (summary === 'internal error') ctx.log.error({ err: error }, 'EHR write-back failed');
      await ctx.store.db
        .update(ehrWritebackJob)
        .set({
          lastError: summary,
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(job.attempts, RETRY)),
        })
        .where(thisClaim(job));
    }
    await release(ctx.store.db, job);
  }
  return any;
}

/**
 * Runs `deliverDueWritebacks` every `intervalMs` until stopped: one run at a time, and a stop ends
 * the run in hand after its current job.
 */
export function startWritebackWorker(ctx: AppContext, intervalMs: number) {
  let stopping = false;
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (stopping || running) return;
    running = deliverDueWritebacks(ctx, () => stopping)
      .catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'EHR write-back could not reach the store');
      })
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}
