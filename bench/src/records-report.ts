import { percentile } from './measure.js';

/** One case run at a fixed concurrency for a fixed time: what completed, and how long each took. */
export interface FixedLoad {
  name: string;
  concurrency: number;
  seconds: number;
  completed: number;
  errors: number;
  latenciesMs: readonly number[];
}

export interface LoadSummary {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export function summarise(load: FixedLoad): LoadSummary {
  return {
    name: load.name,
    requestsPerSecond: load.seconds > 0 ? load.completed / load.seconds : 0,
    p50Ms: percentile(load.latenciesMs, 0.5),
    p99Ms: percentile(load.latenciesMs, 0.99),
    errors: load.errors,
  };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

/**
 * The record paths beside the bare point select as one table: requests per second, p50 and p99,
 * and how many times faster the bare select is (its rate over the path's).
 */
export function formatRecords(cases: readonly LoadSummary[], baseline: LoadSummary): string {
  const row = (c: LoadSummary) => {
    const ratio =
      c.requestsPerSecond > 0
        ? `${(baseline.requestsPerSecond / c.requestsPerSecond).toFixed(1)}×`
        : '—';
    return `| ${c.name} | ${Math.round(c.requestsPerSecond).toLocaleString('en')} | ${ms(c.p50Ms)} | ${ms(c.p99Ms)} | ${c === baseline ? '1.0× (baseline)' : ratio} | ${c.errors} |`;
  };
  return [
    '| path | requests/s | p50 | p99 | bare select is faster by | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...cases.map(row),
    row(baseline),
  ].join('\n');
}
