import { describe, expect, it } from 'vitest';
import { breachCount, rangeKey } from './breached-passwords.js';

describe('the breached-password range lookup', () => {
  it('splits the upper-case SHA-1 of the NFKC-normalised password into prefix and suffix', () => {
    // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
    expect(rangeKey('password')).toEqual({
      prefix: '5BAA6',
      suffix: '1E4C9B93F3F0682250B6CF8331B7EE68FD8',
    });
    // Full-width letters normalise to the same password, so to the same hash.
    expect(rangeKey('ｐａｓｓｗｏｒｄ')).toEqual(rangeKey('password'));
  });

  it('reads the count of the suffix, without regard to case', () => {
    const body = [
      '003D68EB55068C33ACE09247EE4C639306B:3',
      '1e4c9b93f3f0682250b6cf8331b7ee68fd8:10434004',
      '01330C689E5D64F660D6947A93AD634EF8F:0',
    ].join('\r\n');
    expect(breachCount(body, '1E4C9B93F3F0682250B6CF8331B7EE68FD8')).toBe(10_434_004);
    expect(breachCount(body, '003d68eb55068c33ace09247ee4c639306b')).toBe(3);
  });

  it('ignores padding entries (count 0) and answers 0 for a suffix not listed', () => {
    const padded =
      '01330C689E5D64F660D6947A93AD634EF8F:0\r\n003D68EB55068C33ACE09247EE4C639306B:2\r\n';
    expect(breachCount(padded, '01330C689E5D64F660D6947A93AD634EF8F')).toBe(0);
    expect(breachCount(padded, '1E4C9B93F3F0682250B6CF8331B7EE68FD8')).toBe(0);
    expect(breachCount('', '1E4C9B93F3F0682250B6CF8331B7EE68FD8')).toBe(0);
  });
});
