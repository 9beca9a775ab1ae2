import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/log/index.js';
import type { TreeHeadSigningKey } from '../tree-head/signing-key.js';
import { appendHeadToFile } from './head-file.js';
import { INTEGRATION_BATCH, integrateStep, type HeadSchedule } from './integrate.js';

export interface IntegratorOptions {
  db: Database;
  key: TreeHeadSigningKey;
  schedule: HeadSchedule;
  headsFile: string;
  log: Logger;
  now: () => Date;
  /** How long to wait between looks when the last look found nothing to do. */
  idleMs?: number;
}

/** A pending entry waits about this long for its place in the tree when the ledger is quiet. */
const IDLE_MS = 500;

/**
 * Keeps the ledger's tree current on this node: integrates pending entries as they commit, signs
 * heads on schedule, and signs a last head when stopped so that no entry is left unvouched for.
 * Several nodes may run one each; the tree-state lock makes them take turns.
 */
export class LedgerIntegrator {
  readonly #options: IntegratorOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: IntegratorOptions) {
    this.#options = options;
  }

  start(): this {
    this.#schedule(0);
    return this;
  }

  /** Integrates everything pending now, signing a head if one is due (or `forceHead`). */
  async catchUp(forceHead = false): Promise<void> {
    const { db, key, schedule, headsFile, now } = this.#options;
    for (;;) {
      const step = await integrateStep(db, key, schedule, now(), forceHead);
      if (step.head) await appendHeadToFile(headsFile, step.head);
      if (step.integrated < INTEGRATION_BATCH) return;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    await this.catchUp(true);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.catchUp().then(
        () => this.#schedule(this.#options.idleMs ?? IDLE_MS),
        (error: unknown) => {
          this.#options.log.error({ err: error }, 'audit ledger integration failed; retrying');
          this.#schedule(this.#options.idleMs ?? IDLE_MS);
        },
      );
    }, delayMs);
  }
}
