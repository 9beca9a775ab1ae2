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
  for (let i = 0; i < batch; i++) await fn();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(batch / seconds);
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSecond: rates[Math.floor(rates.length / 2)] ?? 0 };
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
