export interface Measurement {
  name: string;
  opsPerSecond: number;
}

/**
 * Runs `fn` in rounds of `batch` calls after a warm-up and reports the median round, which is
 * steadier than the mean on a shared machine.
 */
export async function measure(
  name: string,
  fn: () => unknown,
  batch = 200,
  rounds = 7,
): Promise<Measurement> {
  const [measurement] = await measureSideBySide([[name, fn]], batch, rounds);
  return measurement;
}

/**
 * Like `measure`, for paths compared with one another: their rounds take turns, so a load that
 * comes and goes on a shared machine falls on all of them alike rather than on whichever ran then.
 */
export async function measureSideBySide<const Paths extends readonly [string, () => unknown][]>(
  paths: Paths,
  batch = 200,
  rounds = 7,
): Promise<{ [P in keyof Paths]: Measurement }> {
  for (const [, fn] of paths) for (let i = 0; i < batch; i++) await fn();
  const rates = paths.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (const [p, [, fn]] of paths.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await fn();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      rates[p]!.push(batch / seconds);
    }
  }
  // The mapped tuple type is what `map` builds here: one measurement per path, in order.
  return paths.map(([name], p) => ({ name, opsPerSecond: median(rates[p]!) })) as {
    [P in keyof Paths]: Measurement;
  };
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** The value at fraction `p` (0 to 1) of the sorted values: the nearest rank, no interpolation. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export interface Comparison {
  title: string;
  subject: Measurement;
  baseline: Measurement;
}

export function formatTable(comparisons: Comparison[]): string {
  const rows = comparisons.map((c) => {
    const ratio = c.baseline.opsPerSecond / c.subject.opsPerSecond;
    return `| ${c.title} | ${c.subject.name} | ${Math.round(c.subject.opsPerSecond).toLocaleString('en')} | ${(1000 / c.subject.opsPerSecond).toFixed(2)} ms | ${c.baseline.name} | ${Math.round(c.baseline.opsPerSecond).toLocaleString('en')} | ${ratio.toFixed(1)}× |`;
  });
  return [
    '| comparison | SafeConsult path | ops/s | time per call | baseline | ops/s | baseline is faster by |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** A figure the project has set itself, beside what this run measured. */
export interface Goal {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

export function formatGoals(goals: readonly Goal[]): string {
  return [
    '| goal | target | measured | |',
    '| --- | ---: | ---: | --- |',
    ...goals.map(
      (g) => `| ${g.what} | ${g.target} | ${g.measured} | ${g.met ? 'met' : 'not met'} |`,
    ),
  ].join('\n');
}
