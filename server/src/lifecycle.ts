import type { FastifyInstance } from 'fastify';
import { bulkExportDeps } from './app.js';
import { closeContext, type AppContext } from './context.js';
import { AlertMonitor, LedgerIntegrator } from './audit/index.js';
import { startKeyMaintenance } from './keys/index.js';
import { startOutboxDelivery } from './outbox/index.js';
import { BulkExportWorker } from './records/index.js';
import { startWritebackWorker } from './ehr/index.js';

/** How often due EHR write-backs are looked for (a queued one waits at most this long). */
const EHR_WRITEBACK_POLL_MS = 15_000;

/** Work that runs beside the HTTP server for as long as it serves. */
export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Starts the outbox delivery (a no-op with the stored outbox), the audit ledger's integrator,
 * which signs a last tree head when stopped, the alert rules over the ledger, the data keys'
 * reloading and re-sealing after a rotation, the FHIR bulk export jobs (resuming those a stopped
 * node left), and the write-back of consults to the external EHR.
 */
export function startBackgroundWork(ctx: AppContext): BackgroundWork {
  const delivery = startOutboxDelivery(ctx);
  const ledger = startLedgerIntegrator(ctx);
  const alerts = new AlertMonitor(ctx).start();
  const keys = startKeyMaintenance(ctx);
  const exports = startBulkExportWorker(ctx);
  const writeback = startWritebackWorker(ctx, EHR_WRITEBACK_POLL_MS);
  return {
    stop: async () => {
      await Promise.all([
        delivery.stop(),
        ledger.stop(),
        alerts.stop(),
        keys.stop(),
        exports.stop(),
        writeback.stop(),
      ]);
    },
  };
}

export const startBulkExportWorker = (ctx: AppContext): BulkExportWorker =>
  new BulkExportWorker(ctx, bulkExportDeps).start();

export function startLedgerIntegrator(ctx: AppContext): LedgerIntegrator {
  const { audit } = ctx.config;
  return new LedgerIntegrator({
    db: ctx.store.db,
    key: ctx.auditKey,
    schedule: { everyEntries: audit.headEveryEntries, everyMs: audit.headEveryMs },
    headsFile: audit.headsFile,
    log: ctx.log,
    now: ctx.now,
  }).start();
}

/**
 * Stops taking new connections, lets in-flight requests and the message being sent finish, then
 * closes the store. New requests on kept-alive connections get 503 meanwhile, so a load balancer
 * moves on.
 */
export async function shutdown(
  app: FastifyInstance,
  ctx: AppContext,
  work: BackgroundWork,
): Promise<void> {
  // The server closes first: the ledger's last head then covers the last requests' entries.
  await app.close();
  await work.stop();
  await closeContext(ctx);
}

export function stopOnSignals(app: FastifyInstance, ctx: AppContext, work: BackgroundWork): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      ctx.log.error({ graceMs: ctx.config.shutdownGraceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, ctx.config.shutdownGraceMs);
    deadline.unref();
    shutdown(app, ctx, work).then(
      () => {
        ctx.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        ctx.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
