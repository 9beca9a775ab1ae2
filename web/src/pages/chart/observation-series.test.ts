import { describe, expect, it } from 'vitest';
import { observationSeries } from './observation-series.js';

const LOINC = 'http://loinc.org';
const concept = (code: string, display: string) => ({
  coding: [{ system: LOINC, code, display }],
});
const weight = (at: string, kg: number) => ({
  resourceType: 'Observation',
  code: concept('29463-7', 'Body weight'),
  effectiveDateTime: at,
  valueQuantity: { value: kg, unit: 'kg' },
});
const pressure = (at: string, systolic: number, diastolic: number) => ({
  resourceType: 'Observation',
  code: concept('85354-9', 'Blood pressure panel'),
  effectiveDateTime: at,
  component: [
    { code: concept('8480-6', 'Systolic'), valueQuantity: { value: systolic, unit: 'mmHg' } },
    { code: concept('8462-4', 'Diastolic'), valueQuantity: { value: diastolic, unit: 'mmHg' } },
  ],
});

describe('observationSeries', () => {
  it('groups by code, oldest first, groups by their newest reading', () => {
    const series = observationSeries([
      pressure('2026-02-10', 145, 90),
      weight('2026-01-01', 84),
      pressure('2026-01-10', 152, 94),
      weight('2026-03-01', 82.4),
    ]);
    expect(series.map((s) => [s.key, s.label, s.unit])).toEqual([
      ['29463-7', 'Body weight', 'kg'],
      ['85354-9', 'Blood pressure panel', 'mmHg'],
    ]);
    expect(series[1]?.points.map((p) => [p.at, p.values])).toEqual([
      ['2026-01-10', [152, 94]],
      ['2026-02-10', [145, 90]],
    ]);
  });

  it('leaves out readings without a time or a number', () => {
    expect(
      observationSeries([
        { ...weight('2026-01-01', 80), effectiveDateTime: undefined },
        {
          resourceType: 'Observation',
          code: concept('x', 'Note'),
          effectiveDateTime: '2026-01-01',
          valueString: 'fine',
        },
      ]),
    ).toEqual([]);
  });
});
