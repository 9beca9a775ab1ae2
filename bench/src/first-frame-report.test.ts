import { describe, expect, it } from 'vitest';
import { bothWays, formatFirstFrame } from './first-frame-report.js';

describe('bothWays', () => {
  it('takes each round’s later end', () => {
    expect(bothWays([100, 900, 300], [400, 200, 300])).toEqual([400, 900, 300]);
  });

  it('refuses rounds with one end missing', () => {
    expect(() => bothWays([1, 2], [1])).toThrow();
  });
});

describe('formatFirstFrame', () => {
  const rounds = {
    patient: [800, 1_000, 900],
    clinician: [1_200, 950, 1_100],
    offerer: [200, 220, 210],
    answerer: [180, 240, 190],
  };

  it('sets each product path beside the bare pair’s both ways', () => {
    const { table } = formatFirstFrame(rounds);
    // Both ways, product: 1,200 / 1,000 / 1,100 (median 1,100); bare pair: 200 / 240 / 210 (210).
    expect(table).toContain(
      '| SafeConsult: both ways (the later end) | 3 | 1,100 ms | 1,200 ms | 1,200 ms | 5.2× |',
    );
    expect(table).toContain(
      '| SafeConsult: patient’s first remote frame after Admit | 3 | 900 ms | 1,000 ms | 1,000 ms | 4.3× |',
    );
    expect(table).toContain(
      '| bare pair: both ways (the later end) | 3 | 210 ms | 240 ms | 240 ms |  |',
    );
  });

  it('judges the goal on the product’s both-ways p90', () => {
    expect(formatFirstFrame(rounds).goals).toContain('| < 2,000 ms | 1,200 ms | met |');
    const slow = { ...rounds, clinician: [1_200, 2_500, 1_100] };
    expect(formatFirstFrame(slow).goals).toContain('| < 2,000 ms | 2,500 ms | not met |');
  });
});
