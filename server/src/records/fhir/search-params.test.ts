import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/index.js';
import { MAX_PAGE_SIZE } from './definitions.js';
import { parseSearch } from './search-params.js';

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, errors: error.errors };
    throw error;
  }
  return undefined;
};

describe('reading a search', () => {
  it('turns parameters into filters, result options and includes', () => {
    const search = parseSearch(
      'Observation',
      [
        ['patient', 'Patient/abc'],
        ['code', 'http://loinc.org|1234-5,9999-9'],
        ['date', 'ge2024-03'],
        ['_count', '500'],
        ['_sort', '-date'],
        ['_include', 'Observation:patient'],
      ],
      false,
    );
    expect(search.filters).toEqual([
      { kind: 'reference', column: 'patient', ids: ['abc'] },
      { kind: 'token', param: 'Observation.code', values: ['http://loinc.org|1234-5', '9999-9'] },
      { kind: 'date', any: [expect.objectContaining({ on: 'clinical', prefix: 'ge' })] },
    ]);
    expect(search.count).toBe(MAX_PAGE_SIZE);
    expect(search.sort).toEqual({ on: 'clinical', descending: true });
    expect(search.includes).toEqual(['Observation:patient']);
  });

  it('normalises names as the index does', () => {
    const search = parseSearch('Patient', [['family', '  SCHNEIDER ']], false);
    expect(search.filters).toEqual([
      { kind: 'token', param: 'Patient.family', values: ['schneider'] },
    ]);
  });

  it('refuses unknown parameters and modifiers strictly, and ignores them leniently', () => {
    expect(problemsOf(() => parseSearch('Observation', [['code:text', 'x']], false))).toEqual({
      code: 'search_parameter_unknown',
      errors: [expect.objectContaining({ path: 'code:text' })],
    });
    const lenient = parseSearch(
      'Observation',
      [
        ['code:text', 'x'],
        ['status', 'final'],
      ],
      true,
    );
    expect(lenient.ignored).toEqual(['code:text']);
    expect(lenient.filters).toHaveLength(1);
  });

  it('refuses values that mean nothing, naming the parameter', () => {
    for (const [name, value] of [
      ['date', 'notadate'],
      ['date', 'sa2024'],
      ['_count', 'ten'],
      ['_sort', 'status'],
      ['status', ''],
    ] as const) {
      expect(
        problemsOf(() => parseSearch('Observation', [[name, value]], true)),
        `${name}=${value}`,
      ).toEqual({
        code: 'validation_failed',
        errors: [expect.objectContaining({ path: name })],
      });
    }
  });
});
