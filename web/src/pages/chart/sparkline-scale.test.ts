import { describe, expect, it } from 'vitest';
import { scaleSeries } from './sparkline-scale.js';

const BOX = { width: 120, height: 40, padding: 4 };
const DAY = 86_400_000;

describe('scaleSeries', () => {
  it('runs time left to right and values bottom to top, within the padding', () => {
    const scaled = scaleSeries(
      [
        { time: 2 * DAY, values: [10] },
        { time: 0, values: [20] },
        { time: DAY, values: [15] },
      ],
      BOX,
    );
    // Sorted by time: the oldest (20, the largest) at the top left, the newest (10) bottom right.
    expect(scaled.dots[0]).toEqual([
      { x: 4, y: 4 },
      { x: 60, y: 20 },
      { x: 116, y: 36 },
    ]);
    expect(scaled.lines).toEqual(['4,4 60,20 116,36']);
    expect(scaled).toMatchObject({ min: 10, max: 20 });
  });

  it('spaces points by time, not by their order', () => {
    const scaled = scaleSeries(
      [
        { time: 0, values: [1] },
        { time: 3 * DAY, values: [2] },
        { time: 4 * DAY, values: [3] },
      ],
      BOX,
    );
    expect(scaled.dots[0]?.map((d) => d.x)).toEqual([4, 88, 116]);
  });

  it('draws one line per value position on one shared scale (blood pressure)', () => {
    const scaled = scaleSeries(
      [
        { time: 0, values: [150, 90] },
        { time: DAY, values: [130, 80] },
      ],
      BOX,
    );
    expect(scaled.lines).toHaveLength(2);
    expect(scaled.dots[0]?.[0]).toEqual({ x: 4, y: 4 });
    expect(scaled.dots[1]?.[1]).toEqual({ x: 116, y: 36 });
  });

  it('puts a single reading, or equal readings, in the middle', () => {
    expect(scaleSeries([{ time: 5, values: [7] }], BOX).dots).toEqual([[{ x: 60, y: 20 }]]);
    const flat = scaleSeries(
      [
        { time: 0, values: [7] },
        { time: DAY, values: [7] },
      ],
      BOX,
    );
    expect(flat.dots[0]?.map((d) => d.y)).toEqual([20, 20]);
  });

  it('draws nothing without values', () => {
    expect(scaleSeries([], BOX)).toEqual({ lines: [], dots: [], min: 0, max: 0 });
  });
});
