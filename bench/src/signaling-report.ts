import { formatGoals } from './measure.js';
import type { SignalingResults } from './signaling-bench.js';

const ms = (n: number) => `${n.toFixed(1)} ms`;
const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([what, n]) => `${what} × ${n}`)
    .join(', ');

/** The steps as one table, side by side, and the goal beside what was measured. */
export function formatSignaling(results: SignalingResults): { table: string; goals: string } {
  const rows = results.steps.map((s) => {
    const { load } = s;
    const lost = load.sent - load.relayed;
    const problems = [
      load.roomsFailed > 0 ? `${load.roomsFailed} rooms not opened` : '',
      lost !== 0 ? `${lost} lost` : '',
      tally(load.errors),
      Object.keys(load.closes).length > 0 ? `closed: ${tally(load.closes)}` : '',
    ].filter(Boolean);
    return `| ${load.rooms.toLocaleString('en')} | ${load.sockets.toLocaleString('en')} | ${load.openSeconds.toFixed(0)} s | ${load.relayed.toLocaleString('en')} | ${Math.round(load.relayed / load.steadySeconds).toLocaleString('en')} | ${ms(load.latencyMs.p50)} | ${ms(load.latencyMs.p95)} | ${ms(load.latencyMs.p99)} | ${ms(load.latencyMs.max)} | ${s.cpuPercent.toFixed(0)} % | ${s.rssMiB.toFixed(0)} MiB | ${ms(s.eventLoopP99Ms)} | ${load.clientCpuPercent.toFixed(0)} % | ${problems.join('; ') || 'none'} |`;
  });
  return {
    table: [
      '| rooms | sockets | opened in | messages relayed | messages/s | p50 | p95 | p99 | max | server CPU | server RSS (max) | server event loop delay p99 | load client CPU | errors, refusals, losses |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
    ].join('\n'),
    goals: formatGoals([results.goal]),
  };
}
