import type { SQL } from 'drizzle-orm';
import { wallClock } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { getClinicInfo } from '../../clinic/index.js';
import {
  BULK_EXPORT,
  emergencyCandidates,
  outOfHoursCandidates,
  PATIENTS_OUTSIDE_CARE,
  REPEATED_REFUSALS,
  windowCandidates,
  type AlertCandidate,
  type WindowRule,
} from './alert-detection.js';
import {
  completedExports,
  coveredEntries,
  emergencyGrants,
  loadHits,
  outOfHoursReads,
  outsideCareReads,
  SCAN_MS,
  staffRefusals,
} from './alert-scan.js';
import { raiseAlert } from './alerts.js';
import { describeWorkingTime, offHoursStretch } from './working-time.js';

const WINDOW_RULES: [WindowRule, SQL | undefined][] = [
  [PATIENTS_OUTSIDE_CARE, outsideCareReads],
  [REPEATED_REFUSALS, staffRefusals],
  [BULK_EXPORT, completedExports],
];

/** What every rule finds in the recent ledger at `now`. */
async function findCandidates(ctx: AppContext, now: Date): Promise<AlertCandidate[]> {
  const { db } = ctx.store;
  const since = new Date(now.getTime() - SCAN_MS);
  const found: AlertCandidate[] = [];
  for (const [rule, which] of WINDOW_RULES) {
    const hits = await loadHits(db, which, since, now);
    found.push(...windowCandidates(rule, hits, await coveredEntries(db, rule.rule, since)));
  }
  found.push(...emergencyCandidates(await loadHits(db, emergencyGrants, since, now)));
  // The admin may change the clinic's zone; the rule follows the profile, not the first start.
  const timeZone = (await getClinicInfo(db))?.timeZone ?? ctx.config.clinicDefaults.timeZone;
  const work = ctx.config.audit.alerts.workingTime;
  const late = await loadHits(db, outOfHoursReads(work, timeZone), since, now);
  found.push(
    ...outOfHoursCandidates(late, (hit) => offHoursStretch(wallClock(hit.at, timeZone), work), {
      ...describeWorkingTime(work),
      timeZone,
    }),
  );
  return found;
}

/**
 * Runs every alert rule over the recent ledger once and raises what it finds; running it again
 * raises nothing new for the same entries. Returns how many alerts were raised.
 */
export async function evaluateAlerts(ctx: AppContext, now = ctx.now()): Promise<number> {
  let raised = 0;
  for (const candidate of await findCandidates(ctx, now)) {
    if (await raiseAlert(ctx, candidate, now)) raised++;
  }
  if (raised > 0) ctx.outboxSignal.notify();
  return raised;
}

/** Runs the alert rules on this node every `AUDIT_ALERT_EVERY_SECONDS` until stopped. */
export class AlertMonitor {
  readonly #ctx: AppContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
  }

  start(): this {
    this.#schedule();
    return this;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = evaluateAlerts(this.#ctx).then(
        () => this.#schedule(),
        (error: unknown) => {
          this.#ctx.log.error({ err: error }, 'audit alert rules failed; trying again later');
          this.#schedule();
        },
      );
    }, this.#ctx.config.audit.alerts.everyMs);
  }
}
