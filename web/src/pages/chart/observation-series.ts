import { codeOf, conceptText, observationValue, type Resource } from '../patients/fhir-view.js';
import type { SeriesPoint } from './sparkline-scale.js';

/** One kind of measurement over time, oldest first. */
export interface ObservationSeries {
  key: string;
  label: string;
  unit: string;
  points: (SeriesPoint & { at: string })[];
}

/**
 * The patient's numeric measurements grouped by what was measured (the code), each group oldest
 * first; groups in the order of their newest reading, newest first. Readings without a time or a
 * number (a text result) are left out: they have no place on a line over time.
 */
export function observationSeries(items: readonly Record<string, unknown>[]): ObservationSeries[] {
  const groups = new Map<string, ObservationSeries>();
  for (const o of items as Resource[]) {
    const at = typeof o.effectiveDateTime === 'string' ? o.effectiveDateTime : undefined;
    const time = at ? Date.parse(at) : NaN;
    const value = observationValue(o);
    if (!at || Number.isNaN(time) || value.kind !== 'quantity') continue;
    const key = codeOf(o.code) ?? conceptText(o.code) ?? '';
    const group = groups.get(key) ?? {
      key,
      label: conceptText(o.code) ?? key,
      unit: value.unit,
      points: [],
    };
    group.points.push({ time, at, values: value.values });
    groups.set(key, group);
  }
  const series = [...groups.values()];
  for (const s of series) s.points.sort((a, b) => a.time - b.time);
  const newest = (s: ObservationSeries) => s.points[s.points.length - 1]?.time ?? 0;
  return series.sort((a, b) => newest(b) - newest(a));
}
