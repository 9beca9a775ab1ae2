import { formatGoals, median, percentile } from './measure.js';

/** The first-frame goal: video both ways within this long of the admission. */
export const GOAL_MS = 2_000;

/** Milliseconds per round, one list per path, in the order the rounds ran. */
export interface FirstFrameRounds {
  /** After the clinician's Admit click: the patient's first remote frame, and the clinician's. */
  patient: number[];
  clinician: number[];
  /** After createOffer in the bare pair: the offering end's first frame, and the answering end's. */
  offerer: number[];
  answerer: number[];
}

/** Each round's later end: the moment video flows both ways. */
export function bothWays(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error('each round has both ends');
  return a.map((value, i) => Math.max(value, b[i] ?? value));
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en')} ms`;

function row(what: string, values: readonly number[], floor?: readonly number[]): string {
  const ratio = floor ? `${(median(values) / median(floor)).toFixed(1)}×` : '';
  return `| ${what} | ${values.length} | ${ms(median(values))} | ${ms(percentile(values, 0.9))} | ${ms(Math.max(...values))} | ${ratio} |`;
}

/** The paths as one table, each product figure beside the bare pair's, and the goal. */
export function formatFirstFrame(rounds: FirstFrameRounds): { table: string; goals: string } {
  const product = bothWays(rounds.patient, rounds.clinician);
  const bare = bothWays(rounds.offerer, rounds.answerer);
  const p90 = percentile(product, 0.9);
  return {
    table: [
      '| path | rounds | median | p90 | max | median over the bare pair’s both ways |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      row('SafeConsult: patient’s first remote frame after Admit', rounds.patient, bare),
      row('SafeConsult: clinician’s first remote frame after Admit', rounds.clinician, bare),
      row('SafeConsult: both ways (the later end)', product, bare),
      row('bare pair: offerer’s first frame after createOffer', rounds.offerer),
      row('bare pair: answerer’s first frame after createOffer', rounds.answerer),
      row('bare pair: both ways (the later end)', bare),
    ].join('\n'),
    goals: formatGoals([
      {
        what: 'first remote frame both ways after the admission, p90',
        target: `< ${ms(GOAL_MS)}`,
        measured: ms(p90),
        met: product.length > 0 && p90 < GOAL_MS,
      },
    ]),
  };
}
