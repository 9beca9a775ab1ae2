import { describe, expect, it } from 'vitest';
import { formatRecords, summarise } from './records-report.js';

describe('the records bench report', () => {
  const latenciesMs = Array.from({ length: 100 }, (_, i) => i + 1);

  it('sums a fixed-time load up as a rate and nearest-rank percentiles', () => {
    const s = summarise({
      name: 'read',
      concurrency: 4,
      seconds: 10,
      completed: 2_500,
      errors: 1,
      latenciesMs,
    });
    expect(s).toEqual({ name: 'read', requestsPerSecond: 250, p50Ms: 51, p99Ms: 100, errors: 1 });
  });

  it('puts each path beside the bare select, with the bare select’s rate over the path’s', () => {
    const bare = { name: 'bare', requestsPerSecond: 10_000, p50Ms: 0.4, p99Ms: 1.25, errors: 0 };
    const read = { name: 'read', requestsPerSecond: 800, p50Ms: 9, p99Ms: 31.5, errors: 0 };
    const stalled = { name: 'search', requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, errors: 3 };
    const lines = formatRecords([read, stalled], bare).split('\n');
    expect(lines[2]).toBe('| read | 800 | 9.00 ms | 31.50 ms | 12.5× | 0 |');
    expect(lines[3]).toBe('| search | 0 | 0.00 ms | 0.00 ms | — | 3 |');
    expect(lines[4]).toBe('| bare | 10,000 | 0.40 ms | 1.25 ms | 1.0× (baseline) | 0 |');
  });
});
