/** A measurement at one time: one value, or several read together (systolic and diastolic). */
export interface SeriesPoint {
  /** Milliseconds since the epoch. */
  time: number;
  values: number[];
}

export interface ChartBox {
  width: number;
  height: number;
  /** Kept free on every side, so that dots on the edge are drawn whole. */
  padding: number;
}

export interface ScaledSeries {
  /** One SVG `points` attribute per value position (a line for systolic, one for diastolic). */
  lines: string[];
  /** Every point's position, per value position, in the order of the points. */
  dots: { x: number; y: number }[][];
  min: number;
  max: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Places points in a box: time runs left to right from the first to the last point, values bottom
 * to top from the smallest to the largest of all of them. A single time sits in the middle
 * horizontally, a single value in the middle vertically, so a lone reading is drawn, not lost.
 */
export function scaleSeries(points: readonly SeriesPoint[], box: ChartBox): ScaledSeries {
  const all = points.flatMap((p) => p.values);
  if (all.length === 0) return { lines: [], dots: [], min: 0, max: 0 };
  const min = Math.min(...all);
  const max = Math.max(...all);
  const first = Math.min(...points.map((p) => p.time));
  const last = Math.max(...points.map((p) => p.time));
  const innerWidth = box.width - 2 * box.padding;
  const innerHeight = box.height - 2 * box.padding;
  const x = (time: number) =>
    round(
      box.padding +
        (last === first ? innerWidth / 2 : ((time - first) / (last - first)) * innerWidth),
    );
  const y = (value: number) =>
    round(
      box.padding +
        (max === min ? innerHeight / 2 : innerHeight - ((value - min) / (max - min)) * innerHeight),
    );
  const width = Math.max(...points.map((p) => p.values.length));
  const ordered = [...points].sort((a, b) => a.time - b.time);
  const dots = Array.from({ length: width }, (_, i) =>
    ordered.flatMap((p) =>
      p.values[i] === undefined ? [] : [{ x: x(p.time), y: y(p.values[i]) }],
    ),
  );
  return { lines: dots.map((d) => d.map((p) => `${p.x},${p.y}`).join(' ')), dots, min, max };
}
