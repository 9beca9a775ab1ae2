import type { AppContext } from '../../../context.js';
import { claimJob, purgeExpired, releaseJob } from './jobs.js';
import { runExportJob, type BulkExportDeps } from './run-job.js';

/** How often a node looks for jobs to run: a kick-off on any node is taken within this. */
const POLL_MS = 1_000;
/** A node holds a job this long past its last finished type; a crashed node's job then lapses. */
const LEASE_MS = 5 * 60_000;
const PURGE_EVERY_MS = 60_000;

/**
 * Runs this node's share of FHIR bulk export jobs beside the HTTP server: it takes jobs in
 * progress that no live node holds (those a stopped or crashed node left included, which is how
 * a job acknowledged with 202 survives a restart) and purges expired jobs with their files.
 */
export class BulkExportWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopping = false;
  #purgedAt = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: BulkExportDeps,
  ) {}

  start(): this {
    this.#timer = setInterval(() => this.#tick(), POLL_MS);
    this.#tick();
    return this;
  }

  /** Stops between two resource types; the job in hand is released for the next node or start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  #tick(): void {
    if (this.#running || this.#stopping) return;
    this.#running = this.#work()
      .catch((error: unknown) => this.ctx.log.error({ err: error }, 'bulk export worker failed'))
      .finally(() => {
        this.#running = undefined;
      });
  }

  async #work(): Promise<void> {
    const { ctx } = this;
    if (Date.now() - this.#purgedAt >= PURGE_EVERY_MS) {
      const purged = await purgeExpired(ctx.store.db, ctx.now());
      if (purged > 0) ctx.log.info({ purged }, 'expired bulk export jobs purged');
      this.#purgedAt = Date.now();
    }
    while (!this.#stopping) {
      const job = await claimJob(ctx.store.db, ctx.now(), LEASE_MS);
      if (!job) return;
      const outcome = await runExportJob(ctx, this.deps, job, LEASE_MS, () => this.#stopping);
      if (outcome === 'left') await releaseJob(ctx.store.db, job.id);
    }
  }
}
